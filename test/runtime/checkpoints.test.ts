// Pause for approval, lose the process (or page), resume from a real store, in the real runtime:
// Chromium + IndexedDB across a reload, workerd + KV across requests, Deno + Deno KV across processes.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { chromium } from 'playwright-core';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = join(ROOT, 'test', 'runtime');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const ANSWER = 'saved: {"saved":"out.csv"}';

function requireDist() {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does).');
}

describe('checkpoints in real runtimes', { timeout: 120_000 }, () => {
  it('workerd: request 1 pauses and returns the pending call; request 2 posts the decision and resumes from KV', async () => {
    requireDist();
    const out = await build({ input: join(HERE, 'kv-worker.js'), platform: 'neutral', write: false, output: { format: 'esm', codeSplitting: false } });
    const mf = new Miniflare({ modules: true, script: out.output[0].code, compatibilityDate: '2025-01-01', kvNamespaces: ['RUNS'], bindings: { SECRET: 'worker-secret' } });
    try {
      const post = async (path: string, body: unknown) => (await (await mf.dispatchFetch(`http://localhost${path}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, any>;
      const first = await post('/start', { runId: 'w1' });
      expect(first.agent).toBe('Cloudflare-Workers');
      expect(first).toMatchObject({ status: 'paused', counts: { load: 1, save: 0 } });
      const pending = first.pending[0];
      expect(pending).toMatchObject({ id: 'c-save', call: { name: 'save', args: { path: 'out.csv' } }, signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
      // a forged approval is refused and runs nothing
      const forged = await post('/decide', { runId: 'w1', decisions: { 'c-save': { kind: 'approve', signature: 'f'.repeat(64) } } });
      expect(forged.error).toMatch(/signature does not match/);
      const second = await post('/decide', { runId: 'w1', decisions: { 'c-save': { kind: 'approve', signature: pending.signature } } });
      expect(second).toMatchObject({ status: 'done', answer: ANSWER, counts: { load: 1, save: 1 } });
      expect(second.steps).toEqual(["#2 ✓ save(path='out.csv') → 1 keys", "#3 ✓ done(answer='saved: {\"saved\":\"out.csv\"}') → 1 keys"]);
      const kv = (await mf.getKVNamespace('RUNS')) as unknown as { get(key: string): Promise<string | null> };
      expect(JSON.parse((await kv.get('looplet:w1'))!)).toMatchObject({ v: 2, status: 'done' });
    } finally {
      await mf.dispose();
    }
  });

  it('Deno: one process pauses, another resumes through Deno KV', async () => {
    requireDist();
    const dir = await mkdtemp(join(tmpdir(), 'looplet-denokv-'));
    const path = join(dir, 'kv.sqlite');
    const deno = (mode: string) =>
      promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'deno'), ['run', '--unstable-kv', `--allow-read=${ROOT},${dir}`, `--allow-write=${dir}`, join(HERE, 'deno-kv.js'), mode, path], {
        cwd: ROOT, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(ROOT, '.deno'), NO_COLOR: '1' },
      }).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>);
    const first = await deno('start');
    expect(first).toMatchObject({ status: 'paused', pending: ['c-save'], counts: { load: 1, save: 0 } });
    const second = await deno('resume');
    expect(second).toMatchObject({ status: 'done', answer: ANSWER, counts: { load: 1, save: 1 } });
  });

  it('Chromium: the page pauses, is reloaded, reads the pending approval back from IndexedDB, approves, and the run finishes; save ran once', async () => {
    requireDist();
    const server = await staticServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/test/runtime/idb.html`;
      await page.goto(url);
      // Strings, not functions: Vitest rewrites import() inside functions of this file.
      const setup = `
        const looplet = await import('/dist/index.js');
        const { indexedDBStore } = await import('/dist/stores/idb.js');
        const { approvalAgent, drive } = await import('/test/runtime/approval-agent.js');
        const count = async (name) => localStorage.setItem(name, String(Number(localStorage.getItem(name) ?? 0) + 1));
        const store = indexedDBStore({ dbName: 'e2e' });
        const agent = approvalAgent(looplet, count);
        const counts = () => ({ load: Number(localStorage.getItem('load') ?? 0), save: Number(localStorage.getItem('save') ?? 0) });`;
      const first = (await page.evaluate(`(async () => { ${setup}
        const { outcome } = await drive(looplet.composableLoop({ llm: agent.llm, tools: agent.tools, task: 'Clean.', hooks: agent.hooks(store, 'tab-run') }));
        await store.close();
        return { status: outcome.status, counts: counts() };
      })()`)) as Record<string, unknown>;
      expect(first).toEqual({ status: 'paused', counts: { load: 1, save: 0 } });

      await page.reload();
      const second = (await page.evaluate(`(async () => { ${setup}
        const saved = await store.get('tab-run');
        const pending = saved.pending.map((p) => p.id);
        const { steps, outcome } = await drive(looplet.resumeFrom(store, 'tab-run', { llm: agent.llm, tools: agent.tools, hooks: agent.hooks(store, 'tab-run'), decisions: { [pending[0]]: looplet.approve() } }));
        const after = (await store.get('tab-run')).status;
        await store.close();
        return { pending, steps, status: outcome.status, answer: outcome.answer, after, counts: counts(), ua: navigator.userAgent };
      })()`)) as Record<string, unknown>;
      expect(second).toMatchObject({ pending: ['c-save'], status: 'done', answer: ANSWER, after: 'done', counts: { load: 1, save: 1 }, ua: expect.stringContaining('HeadlessChrome') });
    } finally {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    }
  });
});

describe('conversations across a reload (Chromium, IndexedDB)', { timeout: 120_000 }, () => {
  it('a chat continues after the tab reloads: turn 2 remembers turn 1', async () => {
    requireDist();
    const server = await staticServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/test/runtime/idb.html`);
      const setup = `
        const looplet = await import('/dist/index.js');
        const { indexedDBStore } = await import('/dist/stores/idb.js');
        const store = indexedDBStore({ dbName: 'chat' });
        const chat = looplet.conversation({ store, id: 'tab-chat' });
        const llm = { async generate(req) {
          const users = req.messages.filter((m) => m.role === 'user').map((m) => m.content);
          return { toolCalls: [{ id: 'd' + users.length, name: 'done', arguments: { answer: 'heard: ' + users.join(', ') } }] };
        } };`;
      const first = await page.evaluate(`(async () => { ${setup}
        const { outcome } = await looplet.collect(chat.send('my name is Ada', { llm, tools: [] }));
        await store.close();
        return outcome.answer;
      })()`);
      expect(first).toBe('heard: my name is Ada');
      await page.reload();
      const second = await page.evaluate(`(async () => { ${setup}
        const { outcome } = await looplet.collect(chat.send('what is my name?', { llm, tools: [] }));
        const turns = (await chat.turns()).map((t) => [t.turn, t.status, t.answer]);
        await store.close();
        return { answer: outcome.answer, turns };
      })()`);
      expect(second).toEqual({ answer: 'heard: my name is Ada, what is my name?', turns: [[1, 'done', 'heard: my name is Ada'], [2, 'done', 'heard: my name is Ada, what is my name?']] });
    } finally {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    }
  });
});

const MIME: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html' };

function staticServer(): Promise<Server> {
  const allowed = [join(ROOT, 'dist') + sep, HERE + sep, join(ROOT, 'node_modules', 'idb') + sep];
  const server = createServer(async (req, res) => {
    const file = resolve(ROOT, '.' + decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    try {
      if (!allowed.some((d) => file.startsWith(d))) throw new Error('not served');
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
