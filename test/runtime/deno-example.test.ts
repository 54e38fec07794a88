// examples/deno in the real Deno, against the built dist/: `deno check` of the example (a real
// Deno.Kv passed to denoKV), its HTTP API across a restart of the process (same KV file), and a
// checkpoint over Deno KV's 64 KiB value limit written and read back through denoKV.
// The example imports `looplet` (npm:looplet in its deno.json); here a generated config maps it to dist/.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'deno');
const DENO = join(ROOT, 'node_modules', '.bin', 'deno');
const { OPENAI_API_KEY: _key, APPROVAL_SECRET: _secret, ...parentEnv } = process.env; // the scripted model, a secret made in KV
const ENV = { ...parentEnv, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(ROOT, '.deno'), NO_COLOR: '1' };

type Json = Record<string, any>;

let dir = '';
let config = '';

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does).');
  dir = await mkdtemp(join(tmpdir(), 'looplet-deno-example-'));
  config = join(dir, 'deno.json');
  await writeFile(config, JSON.stringify({ imports: { looplet: pathToFileURL(join(ROOT, 'dist', 'index.js')).href } }));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const deno = (args: string[]) => promisify(execFile)(DENO, args, { cwd: ROOT, env: ENV, maxBuffer: 16 << 20 });

/** Starts the example; resolves with its URL once it prints it. */
function serve(kvPath: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(DENO, ['run', '--unstable-kv', '--allow-net=127.0.0.1', '--allow-env', `--allow-read=${dir}`, `--allow-write=${dir}`, '--config', config, join(EXAMPLE, 'main.ts')], {
    cwd: ROOT, env: { ...ENV, PORT: '0', KV_PATH: kvPath }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d));
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) resolve({ url: m[1]!, child, stop });
    });
    child.once('exit', (code) => reject(new Error(`the example exited (${code}) before listening:\n${out}\n${err}`)));
  });
}

async function call(url: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  return { status: res.status, json: (await res.json()) as Json };
}

describe('examples/deno on Deno', { timeout: 120_000 }, () => {
  it('deno check of examples/deno/main.ts against dist/ passes (a real Deno.Kv is a DenoKvLike)', async () => {
    const own = JSON.parse(await readFile(join(EXAMPLE, 'deno.json'), 'utf8')) as Json;
    expect(own.imports.looplet).toMatch(/^npm:looplet/);
    expect(own.tasks.start).toContain('--unstable-kv');
    await deno(['check', '--unstable-kv', '--config', config, join(EXAMPLE, 'main.ts')]); // rejects with the diagnostics
  });

  it('a run pauses for approval; forged (400) and unknown (409) decisions are refused; after a restart the signed approval finishes it', async () => {
    const kvPath = join(dir, 'runs.sqlite');
    let server = await serve(kvPath);
    let id = '';
    try {
      // Start without waiting and follow it live over SSE: the stream ends when the run pauses.
      const started = await call(`${server.url}/runs`, 'POST', { message: 'Please refund order A-1002', wait: false });
      expect(started.status).toBe(202);
      id = started.json.id;
      const sse = await (await fetch(`${server.url}/runs/${id}/events`)).text();
      const events = sse.split('\n\n').filter((b) => b.startsWith('data: ')).map((b) => JSON.parse(b.slice(6)) as Json);
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['run.start', 'tool.result', 'pause', 'run.end']));
      expect(events.at(-1)).toMatchObject({ type: 'run.end', outcome: { status: 'paused' } });

      const chat = await call(`${server.url}/chats/c1/messages`, 'POST', { message: 'Hi, I am Ada.' });
      expect(chat.json).toMatchObject({ status: 'done', answer: 'You said: Hi, I am Ada. (message 1 of this chat)' });
    } finally {
      await server.stop();
    }

    server = await serve(kvPath); // a new process, the same KV file
    try {
      const { url } = server;
      const view = await call(`${url}/runs/${id}`, 'GET');
      expect(view.json).toMatchObject({ status: 'paused', pending: [{ call: { name: 'refund', args: { order: 'A-1002', amount: 25 } }, reason: 'refund needs approval' }] });
      const pending = view.json.pending[0] as Json;
      expect(pending.signature).toMatch(/^[0-9a-f]{64}$/);

      const forged = await call(`${url}/runs/${id}/decisions`, 'POST', { decisions: { [pending.id]: { kind: 'approve', signature: 'f'.repeat(64) } } });
      expect(forged).toMatchObject({ status: 400, json: { error: 'bad_signature' } });
      const unknown = await call(`${url}/runs/${id}/decisions`, 'POST', { decisions: { 'no-such-call': { kind: 'approve', signature: pending.signature } } });
      expect(unknown).toMatchObject({ status: 409, json: { error: 'no_pending_call' } });
      expect((await call(`${url}/runs/${id}/decisions`, 'POST', { decisions: 'yes' })).status).toBe(400);
      expect((await call(`${url}/runs/nope/decisions`, 'POST', { decisions: {} })).status).toBe(404);
      expect((await call(`${url}/runs/${id}`, 'GET')).json.status).toBe('paused'); // refusals changed nothing

      const approved = await call(`${url}/runs/${id}/decisions`, 'POST', { decisions: { [pending.id]: { kind: 'approve', signature: pending.signature } } });
      expect(approved).toMatchObject({ status: 200, json: { status: 'done', answer: 'Refund of A-1002: {"refunded":"A-1002","amount":25}', pending: [] } });
      const again = await call(`${url}/runs/${id}/decisions`, 'POST', { decisions: { [pending.id]: { kind: 'approve', signature: pending.signature } } });
      expect(again).toMatchObject({ status: 409, json: { error: 'already_done' } });

      const chat = await call(`${url}/chats/c1/messages`, 'POST', { message: 'Still there?' });
      expect(chat.json).toMatchObject({ status: 'done', answer: 'You said: Still there? (message 2 of this chat)' });
    } finally {
      await server.stop();
    }
  });

  it('a checkpoint over 64 KiB round-trips through denoKV in real Deno KV (chunks, reopen, resume, legacy strings, torn, delete)', async () => {
    const script = join(dir, 'big.js');
    await writeFile(script, BIG_CHECKPOINT);
    const { stdout } = await deno(['run', '--unstable-kv', `--allow-read=${dir}`, `--allow-write=${dir}`, '--config', config, script, join(dir, 'big.sqlite')]);
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as Json;
    expect(r.paused).toEqual({ status: 'paused', pending: ['s1'] });
    expect(r.checkpointChars).toBeGreaterThan(150_000);
    expect(r.head).toMatchObject({ kind: 'looplet.chunks', v: 1 });
    expect(r.head.n).toBeGreaterThan(2);
    expect(r.chunksBefore).toBe(r.head.n); // overwritten checkpoints left no old chunks behind
    expect(r.bigIntact).toBe(true);
    expect(r.names).toEqual(['big', 'legacy']); // names only, never chunks
    expect(r.legacy).toEqual({ v: 2, runId: 'legacy', status: 'paused' });
    expect(r.resumed).toMatchObject({ status: 'done', answer: 'saved 150000 chars', saves: 1 });
    expect(r.torn).toMatch(/^CheckpointError: .*torn: chunk 2 of \d+/);
    expect(r.afterDelete).toEqual({ names: ['legacy'], chunks: 0 });
  });
});

// Plain JS (`deno run` does not type-check): a run whose tool returns 150,000 characters (some
// of them two- and three-byte in UTF-8) pauses; the KV is closed and reopened; the run resumes.
const BIG_CHECKPOINT = String.raw`
import * as looplet from 'looplet';
const [path] = Deno.args;
const BIG = 'é€'.repeat(25_000) + 'x'.repeat(100_000);
let saves = 0;
const tools = [
  { name: 'fetch', description: 'Fetch.', parameters: { type: 'object' }, execute: () => ({ text: BIG }) },
  { name: 'save', description: 'Save.', parameters: { type: 'object' }, needsApproval: true, execute: () => ({ saved: ++saves }) },
];
const llm = {
  async generate(req) {
    const done = new Map(req.messages.filter((m) => m.role === 'tool').map((m) => [m.name, m.content]));
    if (!done.has('fetch')) return { toolCalls: [{ id: 'f1', name: 'fetch', arguments: {} }] };
    if (!done.has('save')) return { toolCalls: [{ id: 's1', name: 'save', arguments: {} }] };
    return { toolCalls: [{ id: 'd1', name: 'done', arguments: { answer: 'saved ' + JSON.parse(done.get('fetch')).text.length + ' chars' } }] };
  },
};
const drain = async (gen) => { for (;;) { const r = await gen.next(); if (r.done) return r.value; } };
const chunkCount = async (kv) => { let n = 0; for await (const _ of kv.list({ prefix: ['looplet-chunks'] })) n++; return n; };

let kv = await Deno.openKv(path);
let store = looplet.kvStore(looplet.denoKV(kv));
const first = await drain(looplet.composableLoop({ llm, tools, task: 'Fetch, then save.', hooks: [new looplet.CheckpointHook({ store, runId: 'big' })] }));
kv.close();

kv = await Deno.openKv(path);
store = looplet.kvStore(looplet.denoKV(kv));
await kv.set(['looplet', 'looplet:legacy'], JSON.stringify({ v: 2, runId: 'legacy', status: 'paused' })); // as denoKV wrote before chunks
const cp = await store.get('big');
const head = (await kv.get(['looplet', 'looplet:big'])).value;
const out = {
  paused: { status: first.status, pending: first.pending.map((p) => p.id) },
  checkpointChars: JSON.stringify(cp).length,
  head,
  chunksBefore: await chunkCount(kv),
  bigIntact: cp.messages.some((m) => m.role === 'tool' && JSON.parse(m.content).text === BIG),
  names: (await store.list()).sort(),
  legacy: await store.get('legacy'),
};
const done = await drain(looplet.resumeFrom(store, 'big', { llm, tools, decisions: { s1: looplet.approve() }, hooks: [new looplet.CheckpointHook({ store, runId: 'big' })] }));
out.resumed = { status: done.status, answer: done.answer, saves };
const h = (await kv.get(['looplet', 'looplet:big'])).value;
await kv.delete(['looplet-chunks', 'looplet:big', h.id, 1]);
out.torn = await store.get('big').then(() => 'read', (e) => e.name + ': ' + e.message);
await store.delete('big');
out.afterDelete = { names: await store.list(), chunks: await chunkCount(kv) };
kv.close();
console.log(JSON.stringify(out));
`;
