// examples/worker — the deployable Worker, one Durable Object per run — in workerd (Miniflare,
// SQLite-backed objects), through real HTTP requests: pause, refused decisions, approval, a second
// turn, the event streams, evictions mid-turn, 50 runs at once, MCP tools, an OpenAI-compatible
// model; and durableObjectStore on its own (a checkpoint over 2 MB). Reads the built dist/.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import { build, type Plugin } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everything } from '../mcp/servers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'worker');
const COMPAT = /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(join(EXAMPLE, 'wrangler.toml'), 'utf8'))![1]!;
const SECRET = 'test-approval-secret';

/** `looplet`, `looplet/mcp`, `looplet/ui` as a user's bundler finds them: the built package. */
const dist: Plugin = {
  name: 'looplet-dist',
  resolveId(id) {
    const sub = { looplet: 'index.js', 'looplet/mcp': 'mcp/index.js', 'looplet/ui': 'ui/index.js' }[id];
    return sub ? join(ROOT, 'dist', sub) : null;
  },
};

async function bundle(input: string): Promise<string> {
  const out = await build({ input, platform: 'neutral', write: false, external: ['cloudflare:workers'], plugins: [dist], output: { format: 'esm', codeSplitting: false } });
  return out.output[0].code;
}

let script = '';
const dirs: string[] = [];
const tempDir = async () => { const d = await mkdtemp(join(tmpdir(), 'looplet-worker-')); dirs.push(d); return d; };

/** The example in workerd. `persist`: a directory that outlives this instance (a restart keeps the objects' storage). */
function worker(vars: Record<string, string> = {}, persist?: string): Miniflare {
  return new Miniflare({
    modules: true, script, compatibilityDate: COMPAT,
    durableObjects: { RUNS: { className: 'RunObject', useSQLite: true } },
    durableObjectsPersist: persist ?? false,
    bindings: { APPROVAL_SECRET: SECRET, ALARM_MS: '250', ALLOW_ORIGIN: '*', ...vars },
  });
}

interface Reply { status: number; type: string; body: Record<string, any> }

async function call(mf: Miniflare, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await mf.dispatchFetch(`http://worker.test${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: JSON.parse(text) as Record<string, any> };
}

/** Polls GET /runs/:id until `ok` holds. */
async function until(mf: Miniflare, runId: string, ok: (s: Record<string, any>) => boolean, ms = 15_000): Promise<Record<string, any>> {
  const end = Date.now() + ms;
  for (;;) {
    const { body } = await call(mf, 'GET', `/runs/${runId}`);
    if (ok(body)) return body;
    if (Date.now() > end) throw new Error(`run ${runId} never got there; last: ${JSON.stringify(body)}`);
    await sleep(40);
  }
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Server-Sent Events: each block's `id:` and parsed `data:`. */
function parseSSE(text: string): { id?: number; data: any }[] {
  return text.split('\n\n').filter((b) => b.trim()).map((block) => {
    const lines = block.split('\n');
    const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
    return { ...(id ? { id: Number(id) } : {}), data: data === '[DONE]' ? data : JSON.parse(data) };
  });
}

async function events(mf: Miniflare, runId: string, query = '', headers: Record<string, string> = {}) {
  const res = await mf.dispatchFetch(`http://worker.test/runs/${runId}/events${query}`, { headers });
  return { res, events: parseSSE(await res.text()) };
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'ui', 'index.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does).');
  script = await bundle(join(EXAMPLE, 'src', 'index.ts'));
});

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('examples/worker in workerd', { timeout: 60_000 }, () => {
  it('pauses on the refund; refuses forged, stale and malformed decisions with JSON 4xx; resumes when approved; a second turn sees the first', async () => {
    const mf = worker();
    try {
      const created = await call(mf, 'POST', '/runs', { message: 'Please refund order 42, it arrived broken.' });
      expect(created.status).toBe(201);
      const runId = created.body.runId as string;
      expect(runId).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.body.eventsUrl).toBe(`http://worker.test/runs/${runId}/events`);
      // the first turn was still running when the request was answered: its event stream follows it to the pause
      const live = await events(mf, runId);
      expect(live.res.headers.get('content-type')).toContain('text/event-stream');
      expect(live.events.map((e) => e.data.type)).toEqual(expect.arrayContaining(['run.start', 'tool.call', 'pause', 'run.end']));

      const paused = await until(mf, runId, (s) => s.status === 'paused');
      expect(paused.refunds).toEqual([]);
      expect(paused.pending).toHaveLength(1);
      const pending = paused.pending[0];
      expect(pending).toMatchObject({ tool: 'refund', args: { order: '42', amount: expect.any(Number) }, reason: 'refund needs approval', signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const ui = await events(mf, runId, '?format=ui');
      expect(ui.res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
      expect(ui.events.find((e) => e.data.type === 'tool-approval-request')?.data).toMatchObject({ approvalId: pending.id, signature: pending.signature });

      const refused: [unknown, number, string][] = [
        [{ decisions: { [pending.id]: { kind: 'approve', signature: 'f'.repeat(64) } } }, 400, 'bad_signature'],   // forged
        [{ decisions: { [pending.id]: { kind: 'approve' } } }, 400, 'bad_signature'],                             // unsigned
        [{ decisions: { call_nope: { kind: 'approve', signature: pending.signature } } }, 409, 'no_pending_call'], // unknown or stale id
        [{ decisions: { [pending.id]: { kind: 'refund twice', signature: pending.signature } } }, 400, 'invalid_decision'],
        [{ decisions: { [pending.id]: null } }, 400, 'invalid_decision'],
        [{ decisions: [] }, 400, 'bad_request'],
        [{ decisions: {} }, 400, 'bad_request'],
        [{}, 400, 'bad_request'],
        ['{"decisions": ', 400, 'bad_json'],
        ['x'.repeat(70_000), 413, 'too_large'],
      ];
      for (const [body, status, code] of refused) {
        const r = await call(mf, 'POST', `/runs/${runId}/decisions`, body);
        expect({ status: r.status, error: r.body.error, json: r.type.includes('application/json'), message: typeof r.body.message }).toEqual({ status, error: code, json: true, message: 'string' });
      }
      expect(await call(mf, 'POST', `/runs/${runId}/messages`, { message: 'hello?' })).toMatchObject({ status: 409, body: { error: 'busy' } });
      expect(await call(mf, 'POST', `/runs/${runId}/messages`, { message: '  ' })).toMatchObject({ status: 400, body: { error: 'bad_request' } });
      expect(await call(mf, 'GET', `/runs/${crypto.randomUUID()}`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
      expect(await call(mf, 'GET', '/nowhere')).toMatchObject({ status: 404, body: { error: 'not_found' } });
      expect(await call(mf, 'DELETE', `/runs/${runId}`)).toMatchObject({ status: 405, body: { error: 'method_not_allowed' } });
      // none of that ran the refund
      expect((await until(mf, runId, () => true)).refunds).toEqual([]);

      const approved = await call(mf, 'POST', `/runs/${runId}/decisions`, { decisions: { [pending.id]: { kind: 'approve', signature: pending.signature } } });
      expect(approved.status).toBe(202);
      const done = await until(mf, runId, (s) => s.status === 'done');
      expect(done.answer).toBe(`Refunded $${pending.args.amount} for order 42.`);
      expect(done.refunds).toMatchObject([{ order: '42', amount: pending.args.amount }]);
      // replayed: the turn is over
      expect(await call(mf, 'POST', `/runs/${runId}/decisions`, { decisions: { [pending.id]: { kind: 'approve', signature: pending.signature } } })).toMatchObject({ status: 409, body: { error: 'nothing_to_resume' } });

      expect((await call(mf, 'POST', `/runs/${runId}/messages`, { message: 'What did I ask you first?' })).status).toBe(202);
      const second = await until(mf, runId, (s) => s.status === 'done' && s.turns.length === 2);
      expect(second.answer).toBe('You said "What did I ask you first?". Before that, you said "Please refund order 42, it arrived broken.".');
      expect(second.turns.map((t: any) => [t.turn, t.status])).toEqual([[1, 'done'], [2, 'done']]);
      expect(second.refunds).toHaveLength(1);

      // the whole chat as looplet events: three runs (turn 1, turn 1 resumed, turn 2), in order, ids rising
      const all = (await events(mf, runId)).events;
      const types = all.map((e) => e.data.type);
      expect(types[0]).toBe('run.start');
      expect(types.at(-1)).toBe('run.end');
      expect(types.filter((t) => t === 'run.start')).toHaveLength(3);
      expect(all.every((e) => e.data.conversationId === runId && e.data.v === 1)).toBe(true);
      expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
      expect(all.filter((e) => e.data.type === 'step' && e.data.record.toolCall.name === 'refund').map((e) => e.data.record.status)).toEqual(['paused', 'ok']);
      // an EventSource that reconnects gets what it has not seen
      const after = (await events(mf, runId, '', { 'last-event-id': String(all.length - 2) })).events;
      expect(after.map((e) => e.id)).toEqual([all.length - 1, all.length]);
      // the AI SDK stream of the last turn ends with its answer
      const last = (await events(mf, runId, '?format=ui')).events;
      expect(last[0]!.data).toMatchObject({ type: 'start', messageId: `${runId}.turn-2` });
      expect(last.filter((e) => e.data.type === 'text-delta').map((e) => e.data.delta).join('')).toBe(second.answer);
      expect(last.at(-1)!.data).toBe('[DONE]');
    } finally {
      await mf.dispose();
    }
  });

  it('50 runs started at once each finish in their own object, with their own answer', async () => {
    const mf = worker();
    try {
      const started = await Promise.all(Array.from({ length: 50 }, (_, i) => call(mf, 'POST', '/runs', { message: `Where is order W-${i}?` })));
      expect(started.map((r) => r.status)).toEqual(Array(50).fill(201));
      const ids = started.map((r) => r.body.runId as string);
      expect(new Set(ids).size).toBe(50);
      const ended = await Promise.all(ids.map((id) => until(mf, id, (s) => s.status === 'done', 30_000)));
      ended.forEach((s, i) => {
        expect(s.answer).toMatch(new RegExp(`^Order W-${i}: `));
        expect(s.turns).toHaveLength(1);
      });
    } finally {
      await mf.dispose();
    }
  });

  it('evicted while the model thinks after the refund: the alarm resumes the turn from storage, and the refund is made once', async () => {
    const persist = await tempDir();
    let mf = worker({}, persist);
    const runId = (await call(mf, 'POST', '/runs', { message: 'I want a refund for order 77.' })).body.runId as string;
    const { pending: [p] } = await until(mf, runId, (s) => s.status === 'paused');
    await mf.dispose();

    mf = worker({ SCRIPTED_DELAY_MS: '5000' }, persist); // the model's next reply takes 5 s
    expect((await call(mf, 'POST', `/runs/${runId}/decisions`, { decisions: { [p.id]: { kind: 'approve', signature: p.signature } } })).status).toBe(202);
    const cut = await until(mf, runId, (s) => s.refunds.length === 1);
    expect(cut.status).toBe('running');
    await mf.dispose(); // the object goes with it, mid-turn

    mf = worker({}, persist);
    try {
      await sleep(1_500);
      const asked = Date.now(); // the first request since the restart (one would resume the turn too)
      const done = await until(mf, runId, (s) => s.status === 'done');
      expect(done).toMatchObject({ status: 'done', answer: `Refunded $${p.args.amount} for order 77.` });
      expect(done.refunds).toHaveLength(1);
      expect(done.turns).toHaveLength(1);
      const all = (await events(mf, runId)).events.map((e) => e.data);
      const starts = all.filter((e) => e.type === 'run.start');
      expect(starts).toHaveLength(3); // started, approved, resumed after the eviction…
      expect(starts[2].ts).toBeLessThan(asked); // …by the alarm, before any request came
      expect(all.filter((e) => e.type === 'step' && e.record.toolCall.name === 'refund').map((e) => e.record.status)).toEqual(['paused', 'ok']);
    } finally {
      await mf.dispose();
    }
  });

  it('evicted while the refund runs: the call comes back paused ("it may or may not have run"); approved again, the refund is not made twice', async () => {
    const persist = await tempDir();
    let mf = worker({ REFUND_DELAY_MS: '5000' }, persist); // the refund is made, its answer takes 5 s
    const runId = (await call(mf, 'POST', '/runs', { message: 'Refund order 88 please.' })).body.runId as string;
    const { pending: [p] } = await until(mf, runId, (s) => s.status === 'paused');
    await call(mf, 'POST', `/runs/${runId}/decisions`, { decisions: { [p.id]: { kind: 'approve', signature: p.signature } } });
    await until(mf, runId, (s) => s.refunds.length === 1);
    await mf.dispose();

    mf = worker({}, persist);
    try {
      const interrupted = await until(mf, runId, (s) => s.status === 'paused');
      const [q] = interrupted.pending;
      expect(q).toMatchObject({ id: p.id, tool: 'refund', reason: expect.stringMatching(/^Interrupted while running/), signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect((await call(mf, 'POST', `/runs/${runId}/decisions`, { decisions: { [q.id]: { kind: 'approve', signature: q.signature } } })).status).toBe(202);
      const done = await until(mf, runId, (s) => s.status === 'done');
      expect(done.answer).toBe(`Refunded $${p.args.amount} for order 88.`);
      expect(done.refunds).toHaveLength(1);
      // paused for approval, then run once approved again: the ledger answered with the refund made before the eviction
      const all = (await events(mf, runId)).events.map((e) => e.data);
      expect(all.filter((e) => e.type === 'pause').map((e) => e.pending[0].reason)).toEqual(['refund needs approval', expect.stringMatching(/^Interrupted while running/)]);
      const steps = all.filter((e) => e.type === 'step' && e.record.toolCall.name === 'refund');
      expect(steps.map((s) => [s.record.status, s.record.toolResult.data?.replayed])).toEqual([['paused', undefined], ['ok', true]]);
    } finally {
      await mf.dispose();
    }
  });

  it('APPROVER_TOKEN: only its bearer may decide; without APPROVAL_SECRET the Worker says it is misconfigured (503), not 500', async () => {
    const bare = worker({ APPROVAL_SECRET: '' });
    try {
      expect(await call(bare, 'POST', '/runs', { message: 'refund order 1' })).toMatchObject({ status: 503, body: { error: 'misconfigured' } });
    } finally {
      await bare.dispose();
    }
    const mf = worker({ APPROVER_TOKEN: 'approver-token-1' });
    try {
      const runId = (await call(mf, 'POST', '/runs', { message: 'refund order 9' })).body.runId as string;
      const { pending: [p] } = await until(mf, runId, (s) => s.status === 'paused');
      const decide = (auth?: string) => call(mf, 'POST', `/runs/${runId}/decisions`, { decisions: { [p.id]: { kind: 'approve', signature: p.signature } } }, auth ? { authorization: auth } : {});
      expect(await decide()).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(await decide('Bearer approver-token-2')).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect((await until(mf, runId, () => true)).refunds).toEqual([]);
      expect((await decide('Bearer approver-token-1')).status).toBe(202);
      expect((await until(mf, runId, (s) => s.status === 'done')).refunds).toHaveLength(1);
    } finally {
      await mf.dispose();
    }
  });

  it('with MCP_URL, the MCP server\'s tools are the agent\'s too: an MCP tool is called from inside the Worker', async () => {
    const server = await everything();
    const mf = worker({ MCP_URL: server.url });
    try {
      const runId = (await call(mf, 'POST', '/runs', { message: 'echo hello from a Durable Object' })).body.runId as string;
      const done = await until(mf, runId, (s) => s.status === 'done');
      expect(done.answer).toBe('Echo: hello from a Durable Object');
      const all = (await events(mf, runId)).events.map((e) => e.data);
      expect(all[0].tools.find((t: any) => t.name === 'mcp_echo')).toMatchObject({ origin: { kind: 'mcp', tool: 'echo' } });
      expect(all.find((e) => e.type === 'step')?.record).toMatchObject({ status: 'ok', toolCall: { name: 'mcp_echo' } });
    } finally {
      await mf.dispose();
      await server.stop();
    }
  });

  it('with OPENAI_API_KEY, the agent talks to an OpenAI-compatible server (OPENAI_BASE_URL, OPENAI_MODEL)', async () => {
    const seen: { auth?: string; model?: string; tools?: string[] }[] = [];
    const upstream: Server = createServer(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      const body = JSON.parse(raw) as { model: string; messages: { role: string }[]; tools: { function: { name: string } }[] };
      seen.push({ auth: req.headers.authorization, model: body.model, tools: body.tools.map((t) => t.function.name) });
      const called = body.messages.at(-1)?.role === 'tool';
      const fn = called ? { name: 'done', arguments: '{"answer":"It is on its way."}' } : { name: 'lookup_order', arguments: '{"order":"5"}' };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: `c${seen.length}`, type: 'function', function: fn }] }, finish_reason: 'tool_calls' }] })}\n\ndata: [DONE]\n\n`);
    });
    await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    const mf = worker({ OPENAI_API_KEY: 'sk-test-0123456789abcdef', OPENAI_BASE_URL: base, OPENAI_MODEL: 'gpt-test' });
    try {
      const runId = (await call(mf, 'POST', '/runs', { message: 'Where is my order 5?' })).body.runId as string;
      const done = await until(mf, runId, (s) => s.status === 'done');
      expect(done.answer).toBe('It is on its way.');
      expect(seen).toHaveLength(2);
      expect(seen[0]).toEqual({ auth: 'Bearer sk-test-0123456789abcdef', model: 'gpt-test', tools: ['lookup_order', 'refund', 'done'] });
    } finally {
      await mf.dispose();
      upstream.closeAllConnections();
      await new Promise((ok) => upstream.close(ok));
    }
  });
});

describe('durableObjectStore in a SQLite-backed Durable Object', { timeout: 60_000 }, () => {
  it('a read that a write lands in the middle of reads again: never half of each', async () => {
    const { durableObjectStore } = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as typeof import('../../lib/index.ts');
    const data = new Map<string, unknown>();
    let meanwhile: (() => Promise<void>) | undefined;
    const storage = {
      async get(keys: string[]) {
        const write = meanwhile;
        if (write && keys.length > 2) { meanwhile = undefined; await write(); } // a batch of parts: the write lands first
        return new Map(keys.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
      },
      async put(entries: Record<string, unknown>) { for (const [k, v] of Object.entries(entries)) data.set(k, structuredClone(v)); },
      async delete(keys: string[]) { return keys.filter((k) => data.delete(k)).length; },
      async list({ prefix }: { prefix: string }) { return new Map([...data].filter(([k]) => k.startsWith(prefix)).sort()); },
    };
    const store = durableObjectStore(storage, { partChars: 10 });
    const checkpoint = (c: string) => ({ w: c, v: 2, runId: 'r', status: 'running', messages: [{ role: 'user', content: c.repeat(100) }] }) as never;
    await store.put('r', checkpoint('a'));
    meanwhile = () => store.put('r', checkpoint('b')); // the same length: only the head's write id tells the parts apart
    const read = (await store.get('r'))!;
    expect([read.w, read.messages[0]!.content]).toEqual(['b', 'b'.repeat(100)]); // not 'a' from part 0 and 'b…' from the rest
  });

  it('a checkpoint over 2 MB round-trips in parts; list gives run ids; a smaller write and delete leave no parts behind; corrupt parts are a CheckpointError', async () => {
    const dir = await tempDir();
    const entry = join(dir, 'probe.js');
    const lib = join(ROOT, 'dist', 'index.js');
    await writeFile(entry, `
      import { DurableObject } from 'cloudflare:workers';
      import { CheckpointError, CheckpointHook, collect, composableLoop, durableObjectStore, MockLLMBackend } from ${JSON.stringify(lib)};
      const keys = async (storage) => [...(await storage.list()).keys()];
      export class Probe extends DurableObject {
        async fetch() {
          const storage = this.ctx.storage;
          const store = durableObjectStore(storage);
          // 2.5 million characters, a million of them two bytes in UTF-16 and in UTF-8 alike
          const big = 'x'.repeat(1_500_000) + 'é'.repeat(1_000_000);
          const tools = [{ name: 'report', description: 'A big report.', parameters: { type: 'object' }, execute: () => big }];
          const llm = new MockLLMBackend([{ toolCalls: [{ id: 'r', name: 'report', arguments: {} }] }, { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'ok' } }] }]);
          await collect(composableLoop({ llm, tools, task: 'Report.', hooks: [new CheckpointHook({ store, runId: 'big' })] }));
          const back = await store.get('big');
          const bigKeys = await keys(storage);
          const values = [...(await storage.list()).values()];
          await store.put('small', { ...back, messages: [] });
          const listed = await store.list();
          await store.put('big', { ...back, messages: back.messages.slice(0, 1) });
          const afterShrink = await keys(storage);
          const shrunk = await store.get('big');
          await store.delete('big');
          const afterDelete = await keys(storage);
          const gone = await store.get('big');
          await storage.put({ 'h:looplet:bad': { parts: 1, write: 'w' }, 'p:looplet:bad:0': '{"v": 2, "messa' });
          await storage.put({ 'h:looplet:holey': { parts: 3, write: 'w' }, 'p:looplet:holey:0': '{' });
          const errors = [];
          for (const id of ['bad', 'holey']) {
            try { await store.get(id); errors.push('none'); } catch (e) { errors.push(e instanceof CheckpointError ? e.code : String(e)); }
          }
          return Response.json({
            status: back.status, resultChars: back.messages.find((m) => m.role === 'tool').content.length, sameResult: back.messages.find((m) => m.role === 'tool').content === big,
            bigKeys, longestValue: Math.max(...values.map((v) => typeof v === 'string' ? v.length : 0)),
            listed, afterShrink, shrunkMessages: shrunk.messages.length, afterDelete, gone: gone === undefined, errors,
          });
        }
      }
      export default { fetch: (req, env) => env.PROBE.get(env.PROBE.idFromName('probe')).fetch(req) };
    `);
    const mf = new Miniflare({ modules: true, script: await bundle(entry), compatibilityDate: COMPAT, durableObjects: { PROBE: { className: 'Probe', useSQLite: true } } });
    try {
      const r = (await (await mf.dispatchFetch('http://probe.test/')).json()) as Record<string, any>;
      expect(r).toMatchObject({ status: 'done', resultChars: 2_500_000, sameResult: true, listed: ['big', 'small'], shrunkMessages: 1, gone: true, errors: ['corrupt', 'corrupt'] });
      // the checkpoint (over 2.5 M characters) in five parts of at most 512 Ki characters: ≤ 1 MiB each as UTF-16, ≤ 1.5 MiB as UTF-8
      expect(r.bigKeys).toEqual(['h:looplet:big', 'p:looplet:big:0', 'p:looplet:big:1', 'p:looplet:big:2', 'p:looplet:big:3', 'p:looplet:big:4']);
      expect(r.longestValue).toBe(512 * 1024);
      expect(r.afterShrink).toEqual(['h:looplet:big', 'h:looplet:small', 'p:looplet:big:0', 'p:looplet:small:0']);
      expect(r.afterDelete).toEqual(['h:looplet:small', 'p:looplet:small:0']);
    } finally {
      await mf.dispose();
    }
  });
});
