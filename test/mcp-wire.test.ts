// looplet/mcp against a local server that speaks the MCP wire protocol (legacy era, JSON and SSE)
// and misbehaves on cue: HTML error pages, malformed JSON-RPC, wrong ids, expired sessions,
// refused tokens, paginated lists, list changes, requests from the server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointHook, collect, composableLoop, memoryStore, type LLMResponse, type LoopEvent } from '../lib/index.ts';
import { mcpClient } from '../lib/mcp/index.ts';

interface Req { readonly method: string; readonly rpc: { id?: number; method?: string; params?: Record<string, unknown> }; readonly headers: IncomingMessage['headers'] }
type Handler = (req: Req, res: ServerResponse) => void | Promise<void>;

const servers: Server[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await new Promise((ok) => { s.closeAllConnections(); s.close(ok); }); });

/** A legacy-era server: initialize gives session "s1"; GET opens its standalone stream (`push` writes to it); `handle` answers the rest. */
async function serve(handle: Handler): Promise<{ url: string; seen: Req[]; push(msg: unknown): void; streams(): number }> {
  const seen: Req[] = [];
  const streams: ServerResponse[] = [];
  const server = createServer(async (req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
      streams.push(res);
      res.on('close', () => streams.splice(streams.indexOf(res), 1));
      return;
    }
    let body = '';
    for await (const c of req) body += String(c);
    const r: Req = { method: req.method ?? '', rpc: body ? JSON.parse(body) : {}, headers: req.headers };
    seen.push(r);
    if (r.rpc.method === 'initialize') return json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, result: { protocolVersion: '2025-06-18', capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'raw', version: '1' } } }, { 'mcp-session-id': 's1' });
    if (r.rpc.method?.startsWith('notifications/') || (r.rpc.id !== undefined && !r.rpc.method)) { res.writeHead(202).end(); return; }
    if (req.headers['mcp-protocol-version'] === '2026-07-28') return json(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: Server not initialized' } });
    await handle(r, res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  servers.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, seen,
    push: (msg) => { for (const r of streams) r.write(`event: message\ndata: ${JSON.stringify(msg)}\n\n`); },
    streams: () => streams.length,
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
function sse(res: ServerResponse, ...messages: unknown[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const m of messages) res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
  res.end();
}
const tool = (name: string) => ({ name, description: `The ${name} tool.`, inputSchema: { type: 'object', properties: {} } });
const text = (id: number | undefined, t: string) => ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: t }] } });

describe('a server that misbehaves gets a typed error, never a hang or a crash', () => {
  it('an HTML error page: http, with the status; retriable when the server is at fault', async () => {
    const { url } = await serve((_r, res) => { res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>'); });
    await expect(mcpClient({ url }).callTool('x', {})).rejects.toMatchObject({ code: 'http', status: 502, retriable: true, message: expect.stringContaining('HTTP 502') });
  });

  it('a body that is not JSON, and an answer for another request: protocol', async () => {
    const a = await serve((_r, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc": "2.0", "id": 1, "result": '); });
    await expect(mcpClient({ url: a.url }).callTool('x', {})).rejects.toMatchObject({ code: 'protocol', message: expect.stringContaining('not JSON-RPC') });
    const b = await serve((r, res) => json(res, 200, text((r.rpc.id ?? 0) + 100, 'for someone else')));
    await expect(mcpClient({ url: b.url }).callTool('x', {})).rejects.toMatchObject({ code: 'protocol', message: expect.stringMatching(/answered request \d+ when asked \d+/) });
  });

  it('a stream that ends before the answer: protocol, retriable', async () => {
    const { url } = await serve((r, res) => sse(res, { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'x', progress: 1 } }));
    await expect(mcpClient({ url }).callTool('x', {})).rejects.toMatchObject({ code: 'protocol', retriable: true, message: expect.stringContaining('closed the stream') });
  });

  it('a JSON-RPC error: rpc, with its code', async () => {
    const { url } = await serve((r, res) => json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, error: { code: -32602, message: 'Unknown tool: x' } }));
    await expect(mcpClient({ url }).callTool('x', {})).rejects.toMatchObject({ code: 'rpc', rpcCode: -32602, message: expect.stringContaining('Unknown tool: x') });
  });

  it('a session that expires is opened again once; one refused again is a session error', async () => {
    let expired = 1;
    const a = await serve((r, res) => {
      if (expired-- > 0) return json(res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
      json(res, 200, text(r.rpc.id, 'ok'));
    });
    expect(await mcpClient({ url: a.url }).callTool('x', {})).toMatchObject({ content: [{ text: 'ok' }] });
    expect(a.seen.filter((r) => r.rpc.method === 'initialize')).toHaveLength(2);
    const b = await serve((_r, res) => json(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' } }));
    await expect(mcpClient({ url: b.url }).callTool('x', {})).rejects.toMatchObject({ code: 'session', retriable: true });
  });
});

describe('auth', () => {
  it('getToken is asked before each request and once more after a 401; the token is never shown', async () => {
    const tokens = ['old-token-0001', 'new-token-0002'];
    let asked = 0;
    const { url, seen } = await serve((r, res) => {
      if (r.headers.authorization !== 'Bearer new-token-0002') return json(res, 401, { jsonrpc: '2.0', id: r.rpc.id, error: { code: -32001, message: `token ${String(r.headers.authorization)} expired` } });
      json(res, 200, text(r.rpc.id, 'welcome'));
    });
    const c = mcpClient({ url, getToken: () => tokens[Math.min(asked++, 1)]! });
    expect(await c.callTool('x', {})).toMatchObject({ content: [{ text: 'welcome' }] });
    expect(seen.some((r) => r.headers.authorization === 'Bearer old-token-0001')).toBe(true);
    // a token refused twice: auth, and neither the token nor the header value in the message
    const stuck = mcpClient({ url, getToken: () => 'old-token-0001', headers: { 'x-api-key': 'static-key-value-42' } });
    const err = (await stuck.callTool('x', {}).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'auth', status: 401 });
    expect(err.message).not.toContain('old-token-0001');
    expect(err.message).toContain('***');
  });

  it('a server that echoes the token: it is masked in results, errors, the trace and the checkpoint', async () => {
    const secret = 'mcp-secret-token-98765';
    const { url } = await serve((r, res) => {
      const name = r.rpc.params?.name;
      if (r.rpc.method === 'tools/list') return json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, result: { tools: [tool('echo_back'), tool('fail_loud'), tool('crash')] } });
      if (name === 'echo_back') return json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, result: { content: [{ type: 'text', text: `you sent ${String(r.headers.authorization)}` }], structuredContent: { auth: String(r.headers.authorization) } } });
      if (name === 'fail_loud') return json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, result: { content: [{ type: 'text', text: `bad token ${secret}` }], isError: true } });
      res.writeHead(500, { 'content-type': 'text/html' }).end(`<p>debug: authorization=Bearer ${secret}</p>`);
    });
    const tools = await mcpClient({ url, getToken: () => secret }).listTools();
    const events: LoopEvent[] = [];
    const store = memoryStore();
    const script: LLMResponse[] = ['echo_back', 'fail_loud', 'crash'].map((name) => ({ toolCalls: [{ id: name, name, arguments: {} }] }));
    script.push({ toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'x' } }] });
    let i = 0;
    const { steps } = await collect(composableLoop({ llm: { generate: async () => script[i++]! }, tools, task: 'Go', runId: 'sec', hooks: [{ onEvent: (e) => void events.push(e) }, new CheckpointHook({ store, runId: 'sec' })] }));
    expect(steps.map((s) => s.status)).toEqual(['ok', 'error', 'error', 'ok']);
    expect(steps[0]!.toolResult.data).toEqual({ auth: 'Bearer ***' });
    expect(steps[1]!.toolResult.error?.message).toBe('bad token ***');
    expect(steps[2]!.toolResult.error?.message).toContain('HTTP 500');
    for (const what of [JSON.stringify(steps), JSON.stringify(events), JSON.stringify(await store.get('sec'))]) expect(what).not.toContain(secret);
  });
});

describe('lists', () => {
  it('tools/list pages are followed with the cursor', async () => {
    const { url, seen } = await serve((r, res) => {
      const cursor = r.rpc.params?.cursor;
      if (cursor === undefined) return json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, result: { tools: [tool('a'), tool('b')], nextCursor: 'page-2' } });
      if (cursor === 'page-2') return json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, result: { tools: [tool('c')] } });
      json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, error: { code: -32602, message: 'bad cursor' } });
    });
    expect((await mcpClient({ url }).listTools()).map((t) => t.name)).toEqual(['a', 'b', 'c']);
    const legacy = seen.filter((r) => r.rpc.method === 'tools/list' && r.headers['mcp-session-id']); // (the first one, in the current era, was refused)
    expect(legacy.map((r) => r.rpc.params?.cursor ?? null)).toEqual([null, 'page-2']);
  });

  it('notifications/tools/list_changed: the next list is fetched again, and a tool the server dropped says so', async () => {
    let tools = [tool('keep'), tool('drop')];
    const { url, seen } = await serve((r, res) => {
      if (r.rpc.method === 'tools/list') return json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, result: { tools } });
      tools = [tool('keep')];
      sse(res, { jsonrpc: '2.0', method: 'notifications/tools/list_changed' }, text(r.rpc.id, 'kept'));
    });
    const c = mcpClient({ url, name: 'raw' });
    const specs = await c.listTools();
    await c.listTools();
    expect(seen.filter((r) => r.rpc.method === 'tools/list' && r.headers['mcp-session-id'])).toHaveLength(1); // cached
    const ctx = { signal: new AbortController().signal, runId: 'r', step: 1, callId: 'c', state: {}, pause: () => { throw new Error('no'); } } as never;
    expect(await specs[0]!.execute({}, ctx)).toBe('kept');
    await expect(Promise.resolve(specs[1]!.execute({}, ctx))).rejects.toMatchObject({ code: 'tool', message: expect.stringContaining('no longer offers "drop"') });
    expect((await c.listTools()).map((t) => t.name)).toEqual(['keep']);
  });

  it('the legacy standalone stream: a list change the server announces there is heard; close() ends the stream', async () => {
    let tools = [tool('one')];
    const srv = await serve((r, res) => json(res, 200, { jsonrpc: '2.0', id: r.rpc.id, result: { tools } }));
    const c = mcpClient({ url: srv.url });
    expect((await c.listTools()).map((t) => t.name)).toEqual(['one']);
    await expect.poll(() => srv.streams()).toBe(1);
    tools = [tool('one'), tool('two')];
    expect((await c.listTools()).map((t) => t.name)).toEqual(['one']); // cached: nothing said yet
    srv.push({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    await expect.poll(async () => (await c.listTools()).map((t) => t.name)).toEqual(['one', 'two']);
    await c.close();
    await expect.poll(() => srv.streams()).toBe(0);
    expect(mcpClient({ url: srv.url, listen: false })).toBeDefined();
  });

  it('a request from the server on the stream is answered (method not found), and the call completes', async () => {
    const { url, seen } = await serve((r, res) => sse(res, { jsonrpc: '2.0', id: 77, method: 'sampling/createMessage', params: {} }, text(r.rpc.id, 'done anyway')));
    expect(await mcpClient({ url }).callTool('x', {})).toMatchObject({ content: [{ text: 'done anyway' }] });
    await expect.poll(() => seen.find((r) => r.rpc.id === 77 && !r.rpc.method)?.rpc).toMatchObject({ error: { code: -32601 } });
  });
});
