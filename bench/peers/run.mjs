// Peer benchmarks, one run: bundle size of the same minimal agent per library, and cold start
// (process start to the agent module imported) in Node. Writes ../RESULTS.md.
// Run: npm run build && npm ci --prefix bench/peers && node bench/peers/run.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from '../../node_modules/rolldown/dist/index.mjs';
import { startServer } from './server.mjs';
import { stepsTable } from './steps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const LIBS = [
  ['looplet', 'looplet (core + OpenAIBackend)'],
  ['floor', 'hand-written fetch loop (floor)'],
  ['ai-sdk', 'Vercel AI SDK (ai + @ai-sdk/openai)'],
  ['tanstack', 'TanStack AI (@tanstack/ai + ai-openai)'],
  ['openai-agents', 'OpenAI Agents SDK (@openai/agents)'],
  ['langgraph', 'LangGraph.js (prebuilt ReAct + @langchain/openai)'],
  ['mastra', 'Mastra (@mastra/core Agent)'],
];
const version = (p) => { try { return JSON.parse(readFileSync(join(here, 'node_modules', p, 'package.json'), 'utf8')).version; } catch { return '?'; } };
const versions = { ai: version('ai'), '@ai-sdk/openai (v2, for Mastra)': version('ai-sdk-openai-v2'), '@ai-sdk/openai': version('@ai-sdk/openai'), '@tanstack/ai': version('@tanstack/ai'), '@tanstack/ai-openai': version('@tanstack/ai-openai'), '@openai/agents': version('@openai/agents'), '@langchain/langgraph': version('@langchain/langgraph'), '@langchain/openai': version('@langchain/openai'), '@mastra/core': version('@mastra/core') };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 0. does each agent do the job here?
const { url, server } = await startServer();
const works = {};
for (const [lib] of LIBS) {
  try { const { run } = await import(`./agents/${lib}.mjs`); works[lib] = String(await run(url)).includes('5') ? 'yes' : 'partly'; } catch (err) { works[lib] = `no: ${String(err?.message ?? err).split('\n')[0].slice(0, 80)}`; }
}
server.close();

// 1. bundle size: browser/worker target, minified, tree-shaken; Node built-ins left external and reported
const node = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const size = {};
for (const [lib] of LIBS) {
  const builtins = new Set();
  try {
    const out = await build({
      input: join(here, 'agents', `${lib}.mjs`), platform: 'browser', write: false, logLevel: 'silent',
      external: (id) => { if (node.has(id) || id.startsWith('node:')) { builtins.add(id); return true; } return false; },
      output: { format: 'esm', minify: true, codeSplitting: false },
    });
    const code = out.output.filter((o) => o.type === 'chunk').map((o) => o.code).join('');
    size[lib] = { raw: code.length, gzip: gzipSync(code).length, builtins: [...builtins] };
  } catch (err) {
    size[lib] = { error: String(err?.message ?? err).split('\n')[0].slice(0, 100) };
  }
}

// 2. cold start in Node: fresh processes importing the agent module, minus an empty script
const RUNS = 15;
const time = (args) => {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: here, stdio: 'ignore' });
    if (r.status !== 0) return undefined;
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
const empty = time(['-e', '0']);
const cold = {};
for (const [lib] of LIBS) cold[lib] = time(['--input-type=module', '-e', `await import('./agents/${lib}.mjs')`]);

// 3. per-step overhead, the same local server for all
const STEPS = 200;
const steps = await stepsTable(STEPS);

// table
const kb = (n) => (n / 1024).toFixed(1);
const libsRun = LIBS.filter(([l]) => size[l]?.gzip);
const bestPeerSize = Math.min(...libsRun.filter(([l]) => l !== 'looplet' && l !== 'floor').map(([l]) => size[l].gzip));
const coldPeers = LIBS.filter(([l]) => l !== 'looplet' && l !== 'floor' && cold[l]).map(([l]) => cold[l].median - empty.median);
const bestPeerCold = Math.min(...coldPeers);
const rows = LIBS.map(([lib, name]) => {
  const s = size[lib], c = cold[lib];
  const sizeCell = s?.gzip ? `${kb(s.raw)} / **${kb(s.gzip)}** kB (×${(s.gzip / bestPeerSize).toFixed(2)})${s.builtins.length ? ` · needs ${s.builtins.length} Node built-ins` : ''}` : `bundle failed: ${s?.error}`;
  const coldCell = c ? `${(c.median - empty.median).toFixed(0)} ms (min ${(c.min - empty.median).toFixed(0)}, max ${(c.max - empty.median).toFixed(0)}; ×${((c.median - empty.median) / bestPeerCold).toFixed(2)})` : 'did not import';
  return `| ${name} | ${works[lib]} | ${sizeCell} | ${coldCell} |`;
});
const md = `# looplet benchmarks against peers

Run on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.versions.node}.
Re-run: \`npm run build && npm ci --prefix bench/peers && node bench/peers/run.mjs\`.

Versions (the newest that install on Node 20 here; newer majors of ai, @ai-sdk/openai, @langchain/openai and @mastra/core need Node 22):
${Object.entries(versions).map(([k, v]) => `\`${k}@${v}\``).join(', ')}.

Each library runs the same agent (two tools, greet and add, against an OpenAI-compatible endpoint). "Works" = it
completed the task against the local instant server (\`bench/peers/server.mjs\`).

| library | works | bundle raw / gzip (× best peer) | cold start above an empty script, Node (× fastest peer) |
|---|---|---|---|
${rows.join('\n')}

- Bundle: rolldown, browser target, minified, tree-shaken, one file; Node built-ins left external and counted.
- Cold start: median of ${RUNS} fresh \`node\` processes each importing the agent module, minus the median of an empty script (${empty.median.toFixed(0)} ms).
## Per-step overhead

${STEPS} tool calls answered at once by the same local OpenAI-compatible server (\`bench/peers/server.mjs\`), a trivial tool, non-streamed.
"Overhead above the floor" subtracts the hand-written fetch loop measured in the same run. \`looplet-hooks\` adds the standard hook set
(approval on another tool, checkpoints to memory, metrics, tracing to a null exporter).

${steps}

- Not yet measured here: memory over 10,000 steps, streaming overhead, and cold start in Deno
  (looplet-only numbers: \`bench/step-overhead.mjs\`, \`bench/checkpoint-cost.mjs\`, \`bench/devtools.ts\`).
`;
writeFileSync(join(here, '..', 'RESULTS.md'), md);
console.log(md);
