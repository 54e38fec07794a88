// looplet/mcp against real MCP servers: the reference server-everything (legacy era, sessions)
// and a current-era (2026-07-28) server built with the official SDK v2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApprovalHook, approve, collect, composableLoop, edit, memoryStore, CheckpointHook, MockLLMBackend, PermissionHook, reject, resumeFrom, ToolRegistry,
  type LLMBackend, type LLMRequest, type LLMResponse, type LoopEvent,
} from '../lib/index.ts';
import { mcpClient, McpError, type McpClient } from '../lib/mcp/index.ts';
import { currentServer, everything, type CurrentServer } from './mcp/servers.ts';

const call = (name: string, args: Record<string, unknown>, id = `c-${name}`): LLMResponse => ({ toolCalls: [{ id, name, arguments: args }] });
const done = (answer: unknown): LLMResponse => call('done', { answer }, 'c-done');

/** A model that decides from what it was told, so a resumed run gets the same replies. */
function policy(plan: (told: Map<string, string>) => LLMResponse): LLMBackend & { requests: LLMRequest[] } {
  const requests: LLMRequest[] = [];
  return { requests, async generate(req) { requests.push({ ...req, messages: req.messages.slice() }); return plan(new Map(req.messages.filter((m) => m.role === 'tool').map((m) => [m.name ?? '', m.content]))); } };
}

describe('legacy era: server-everything', () => {
  let server: Awaited<ReturnType<typeof everything>>;
  const clients: McpClient[] = [];
  const client = (o: Partial<Parameters<typeof mcpClient>[0]> = {}) => { const c = mcpClient({ url: server.url, name: 'everything', ...o }); clients.push(c); return c; };
  beforeAll(async () => { server = await everything(); }, 30_000);
  afterAll(async () => { for (const c of clients) await c.close(); await server.stop(); });

  it('lists the tools, falls back from the current era to initialize, and remembers it', async () => {
    const seen: string[] = [];
    const c = client({ fetch: (input, init) => { if (init?.body) seen.push(JSON.parse(String(init.body)).method); return fetch(input, init); } });
    const specs = await c.listTools();
    expect(c.protocol).toBe('legacy');
    expect(specs.map((s) => s.name)).toEqual(expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation', 'get-tiny-image']));
    expect(specs.find((s) => s.name === 'get-sum')).toMatchObject({ parameters: { type: 'object', required: ['a', 'b'] }, origin: { kind: 'mcp', server: 'everything', tool: 'get-sum' } });
    expect(seen.slice(0, 4)).toEqual(['tools/list', 'initialize', 'notifications/initialized', 'tools/list']);
    await c.callTool('echo', { message: 'x' });
    expect(seen.filter((m) => m === 'initialize')).toHaveLength(1);
  });

  it('an agent calls MCP tools like any tool: prefixed names, validated arguments, steps, results, trace', async () => {
    const c = client({ prefix: 'ev' });
    const tools = new ToolRegistry();
    for (const t of await c.listTools()) tools.register(t);
    const events: LoopEvent[] = [];
    const llm = new MockLLMBackend([call('ev_get-sum', { a: 2, b: 'forty' }, 'bad'), call('ev_get-sum', { a: 2, b: 40 }, 'good'), call('ev_echo', { message: 'hi' }), done('42')]);
    const { steps, outcome } = await collect(composableLoop({ llm, tools, task: 'Add', hooks: [{ onEvent: (e) => void events.push(e) }] }));
    expect(steps.map((s) => `${s.toolCall.name}:${s.status}`)).toEqual(['ev_get-sum:error', 'ev_get-sum:ok', 'ev_echo:ok', 'done:ok']);
    expect(steps[0]!.toolResult.error?.kind).toBe('invalid_args'); // the loop refused it: the server was not called
    expect(steps[1]!.toolResult.data).toBe('The sum of 2 and 40 is 42.');
    expect(steps[2]!.toolResult.data).toBe('Echo: hi');
    expect(outcome.status).toBe('done');
    const start = events.find((e) => e.type === 'run.start') as Extract<LoopEvent, { type: 'run.start' }>;
    expect(start.tools.find((t) => t.name === 'ev_echo')?.origin).toEqual({ kind: 'mcp', server: 'everything', tool: 'echo' });
  });

  it('an error result is a tool error the model reads; the loop goes on', async () => {
    const c = client();
    const tools = (await c.listTools()).filter((t) => t.name === 'get-sum');
    // the server validates too: arguments the loop cannot check (no schema for them) come back isError
    const loose = tools.map((t) => ({ ...t, parameters: { type: 'object' } }));
    const llm = policy((told) => (told.has('get-sum') ? done(told.get('get-sum')) : call('get-sum', { a: 'x', b: 1 })));
    const { steps, outcome } = await collect(composableLoop({ llm, tools: loose, task: 'Add' }));
    expect(steps[0]).toMatchObject({ status: 'error', toolResult: { error: { kind: 'tool_error', message: expect.stringContaining('Input validation error') } } });
    expect(outcome.answer).toContain('Input validation error');
  });

  it('maps images and resource links to short text, and keeps text as it is', async () => {
    const c = client();
    const image = await c.callTool('get-tiny-image', {});
    const { resultOf } = await import('../lib/mcp/tools.ts');
    expect(resultOf('everything', image, 20_000)).toMatch(/^Here's the image you requested:\n\[image: image\/png, \d+ kB\]\nThe image above is the MCP logo\.$/);
    const links = resultOf('everything', await c.callTool('get-resource-links', { count: 2 }), 20_000) as string;
    expect(links).toContain('[link: Blob Resource 1 <demo://resource/dynamic/blob/1>');
    const structured = resultOf('everything', await c.callTool('get-structured-content', { location: 'Chicago' }), 20_000);
    expect(structured).toMatchObject({ temperature: expect.any(Number), conditions: expect.any(String) });
  });

  it('a long call reports progress, and its time limit restarts with each report', async () => {
    const c = client({ timeoutMs: 900 });
    const progress: number[] = [];
    const r = await c.callTool('trigger-long-running-operation', { duration: 2, steps: 4 }, { onProgress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(r.content?.[0]).toMatchObject({ text: expect.stringContaining('Long running operation completed') });
    // without reports, the same limit ends it
    const quiet = client({ timeoutMs: 300 });
    await expect(quiet.callTool('trigger-long-running-operation', { duration: 2, steps: 1 })).rejects.toMatchObject({ code: 'timeout', retriable: true });
  });

  it('an aborted call stops waiting, and the server is told (notifications/cancelled)', async () => {
    const sent: string[] = [];
    const c = client({ fetch: (input, init) => { sent.push(String(JSON.parse(String(init?.body ?? '{}')).method)); return fetch(input, init); } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t0 = Date.now();
    await expect(c.callTool('trigger-long-running-operation', { duration: 5, steps: 5 }, { signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' });
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect.poll(() => sent).toContain('notifications/cancelled');
  });

  it('a server restarted mid-run: the stale session is opened again and the run goes on', async () => {
    const c = client();
    const tools = new ToolRegistry();
    for (const t of await c.listTools()) if (t.name === 'echo') tools.register(t);
    let restarted = false;
    const llm = new MockLLMBackend([call('echo', { message: 'one' }, 'e1'), call('echo', { message: 'two' }, 'e2'), (req) => done(req.messages.filter((m) => m.role === 'tool').map((m) => m.content).join(' / '))]);
    const run = composableLoop({ llm, tools, task: 'Echo twice', hooks: [{ onEvent: async (e) => { if (e.type === 'step' && e.step === 1 && !restarted) { restarted = true; await server.restart(); } } }] });
    const { steps, outcome } = await collect(run);
    expect(restarted).toBe(true);
    expect(steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
    expect(outcome.answer).toBe('Echo: one / Echo: two');
  }, 30_000);

  it('approval rules apply to MCP tools by name: needsApproval, ApprovalHook and PermissionHook', async () => {
    const c = client({ needsApproval: ['get-sum'] });
    const specs = await c.listTools();
    expect(specs.find((s) => s.name === 'get-sum')?.needsApproval).toBe(true);
    const llm = policy((told) => (told.has('get-sum') ? (told.has('echo') ? done('ok') : call('echo', { message: 'after' })) : call('get-sum', { a: 1, b: 2 })));
    const store = memoryStore();
    const hooks = [new ApprovalHook({ tools: ['echo'] }), new CheckpointHook({ store, runId: 'mcp-approve' }), new PermissionHook({ rules: [{ tool: 'get-env', action: 'deny' }], default: 'allow' })];
    const first = await collect(composableLoop({ llm, tools: specs, task: 'Sum', hooks, runId: 'mcp-approve' }));
    expect(first.outcome.pending?.[0]).toMatchObject({ call: { name: 'get-sum' }, reason: 'get-sum needs approval' });
    const second = await collect(resumeFrom(store, 'mcp-approve', { llm, tools: specs, hooks, decisions: { 'c-get-sum': approve() } }));
    expect(second.steps[0]).toMatchObject({ status: 'ok', toolResult: { data: 'The sum of 1 and 2 is 3.' } });
    expect(second.outcome.pending?.[0]).toMatchObject({ call: { name: 'echo' } });
    const third = await collect(resumeFrom(store, 'mcp-approve', { llm, tools: specs, hooks, decisions: { 'c-echo': reject('not now') } }));
    expect(third.steps[0]).toMatchObject({ status: 'denied' });
    expect(third.outcome.status).toBe('done');
  });

  it('filter exposes only the named tools; close() ends the session on the server', async () => {
    const sent: { method: string; session: string | null }[] = [];
    const c = mcpClient({ url: server.url, filter: ['echo'], fetch: (input, init) => { sent.push({ method: init?.method ?? 'GET', session: new Headers(init?.headers).get('mcp-session-id') }); return fetch(input, init); } });
    expect((await c.listTools()).map((t) => t.name)).toEqual(['echo']);
    const session = sent.at(-1)!.session;
    expect(session).toBeTruthy();
    await c.close();
    expect(sent.at(-1)).toEqual({ method: 'DELETE', session });
    // the server no longer knows that session
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session!, 'mcp-protocol-version': '2025-11-25' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(res.status).toBe(400);
    await res.body?.cancel();
  });
});

describe('current era (2026-07-28): the official SDK v2 server', () => {
  let server: CurrentServer;
  beforeAll(async () => { server = await currentServer({ legacy: 'reject' }); });
  afterAll(async () => { await server.stop(); });

  it('speaks the current era without a handshake: _meta and headers on every request', async () => {
    const c = mcpClient({ url: server.url, name: 'current' });
    const specs = await c.listTools();
    expect(c.protocol).toBe('current');
    expect(specs.map((s) => s.name)).toEqual(['echo', 'fail', 'add', 'slow', 'big', 'delete_file']);
    expect(await c.callTool('echo', { message: 'héllo' })).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'Echo: héllo' }] });
    expect(server.log.methods).not.toContain('initialize');
    const h = server.log.headers.at(-1)!;
    expect(h).toMatchObject({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' });
  });

  it('structured results come as data; isError as a tool error; long text is cut with a note', async () => {
    const c = mcpClient({ url: server.url, maxResultChars: 1000 });
    const llm = policy((told) => (told.has('big') ? done('ok') : told.has('fail') ? call('big', { chars: 5000 }) : told.has('add') ? call('fail', {}) : call('add', { a: 2, b: 3 })));
    const { steps } = await collect(composableLoop({ llm, tools: await c.listTools(), task: 'Try' }));
    expect(steps[0]!.toolResult.data).toEqual({ sum: 5 });
    expect(steps[1]).toMatchObject({ status: 'error', toolResult: { error: { message: 'the disk is full' } } });
    const text = steps[2]!.toolResult.data as string;
    expect(text.startsWith('x'.repeat(1000))).toBe(true);
    expect(text).toContain('[… cut: 1000 of 5000 characters shown (maxResultChars)]');
  });

  it('progress restarts the time limit; an abort closes the stream and the server stops the call', async () => {
    const c = mcpClient({ url: server.url, timeoutMs: 500 });
    const seen: string[] = [];
    expect(await c.callTool('slow', { steps: 4, ms: 300 }, { onProgress: (p) => seen.push(p.message ?? '') })).toMatchObject({ content: [{ text: 'done 4' }] });
    expect(seen).toEqual(['step 1/4', 'step 2/4', 'step 3/4', 'step 4/4']);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 700);
    await expect(c.callTool('slow', { steps: 10, ms: 300 }, { signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' });
    await expect.poll(() => server.log.aborted.length, { timeout: 3000 }).toBeGreaterThan(0);
  });

  it('input_required pauses the call with the server question and schema; an answer resumes it after a reload', async () => {
    const llm = policy((told) => (told.has('delete_file') ? done(told.get('delete_file')) : call('delete_file', { path: '/tmp/a.txt' })));
    const store = memoryStore();
    const first = await collect(composableLoop({ llm, tools: await mcpClient({ url: server.url, name: 'files' }).listTools(), task: 'Clean up', runId: 'mrtr', hooks: [new CheckpointHook({ store, runId: 'mrtr' })] }));
    expect(first.outcome.status).toBe('paused');
    expect(first.outcome.pending![0]).toMatchObject({ reason: 'files asks: Delete /tmp/a.txt?', schema: { type: 'object', required: ['ok'] } });
    // "a page reload": the checkpoint as JSON, a new client, a new registry
    const reloaded = memoryStore();
    await reloaded.put('mrtr', JSON.parse(JSON.stringify(await store.get('mrtr'))));
    const tools = await mcpClient({ url: server.url, name: 'files' }).listTools();
    await expect(collect(resumeFrom(reloaded, 'mrtr', { llm, tools, decisions: { 'c-delete_file': edit({ ok: 'yes' }) } }))).rejects.toThrow(/does not match the schema/);
    const next = await collect(resumeFrom(reloaded, 'mrtr', { llm, tools, decisions: { 'c-delete_file': edit({ ok: true }) } }));
    expect(next.steps[0]).toMatchObject({ status: 'ok', toolResult: { data: 'deleted /tmp/a.txt' } });
    expect(next.outcome).toMatchObject({ status: 'done', answer: 'deleted /tmp/a.txt' });
    // rejecting declines: the server answers, and its answer is the step's result
    const declined = await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions: { 'c-delete_file': reject('keep it') } }));
    expect(declined.steps[0]).toMatchObject({ status: 'ok', toolResult: { data: 'kept /tmp/a.txt (decline)' } });
  });

  it('a server that speaks both eras is spoken to in the current one', async () => {
    const both = await currentServer({ legacy: 'stateless' });
    try {
      const c = mcpClient({ url: both.url });
      await c.listTools();
      expect(c.protocol).toBe('current');
      expect(both.log.methods).not.toContain('initialize');
    } finally { await both.stop(); }
  });
});

describe('errors are typed and the loop goes on', () => {
  it('a server that is down: unreachable, retriable; the model is told', async () => {
    const c = mcpClient({ url: 'http://127.0.0.1:9/mcp', name: 'down' });
    await expect(c.callTool('x', {})).rejects.toMatchObject({ name: 'McpError', code: 'unreachable', retriable: true });
    const tools = [{ name: 'remote', description: 'A remote tool.', parameters: { type: 'object' }, execute: () => c.callTool('x', {}) }];
    const llm = policy((told) => (told.has('remote') ? done(told.get('remote')) : call('remote', {})));
    const { steps, outcome } = await collect(composableLoop({ llm, tools, task: 'Try' }));
    expect(steps[0]).toMatchObject({ status: 'error', toolResult: { error: { retriable: true, message: expect.stringContaining('down') } } });
    expect(outcome.status).toBe('done');
  });

  it('McpError is an Error with a code', () => {
    const e = new McpError('rpc', 'x', { rpcCode: -32602, status: 200 });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: 'rpc', rpcCode: -32602, status: 200, retriable: false });
  });
});
