// In the looplet repo, where wrangler is not installed: serves this Worker on workerd (Miniflare)
// at http://127.0.0.1:8787, `looplet` being the built dist/ (`npm run build` first).
// `npm run example:worker`. Storage is kept in .wrangler/state: stop it mid-turn (Ctrl-C), start
// it again, and the alarm resumes the turn. A copy of this folder uses `npx wrangler dev` instead.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { build } from 'rolldown';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const DIST: Record<string, string> = { looplet: '../../dist/index.js', 'looplet/mcp': '../../dist/mcp/index.js', 'looplet/ui': '../../dist/ui/index.js' };
if (!existsSync(here(DIST.looplet!))) throw new Error('dist/ is missing: run npm run build first.');

const out = await build({
  input: here('./src/index.ts'), platform: 'neutral', write: false, external: ['cloudflare:workers'],
  plugins: [{ name: 'looplet-dist', resolveId: (id: string) => (DIST[id] ? here(DIST[id]) : null) }],
  output: { format: 'esm', codeSplitting: false },
});
const env = process.env;
const pass = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL', 'MCP_URL', 'MCP_TOKEN', 'APPROVER_TOKEN', 'SCRIPTED_DELAY_MS', 'REFUND_DELAY_MS'].filter((k) => env[k]);
const mf = new Miniflare({
  modules: true, script: out.output[0]!.code,
  compatibilityDate: /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(here('./wrangler.toml'), 'utf8'))![1]!,
  durableObjects: { RUNS: { className: 'RunObject', useSQLite: true } },
  durableObjectsPersist: here('./.wrangler/state'),
  bindings: { APPROVAL_SECRET: env.APPROVAL_SECRET ?? 'dev-only-change-me', ALLOW_ORIGIN: '*', ...Object.fromEntries(pass.map((k) => [k, env[k]!])) },
  host: '127.0.0.1', port: Number(env.PORT ?? 8787),
});
console.log(`looplet support agent: ${String(await mf.ready).replace(/\/$/, '')}  (model: ${env.OPENAI_API_KEY ? env.OPENAI_MODEL ?? 'gpt-4o-mini' : 'scripted'}; Ctrl-C to stop)`);
console.log('try: curl -s -X POST http://127.0.0.1:8787/runs -d \'{"message": "Please refund order 42"}\'');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void mf.dispose().then(() => process.exit(0)));
