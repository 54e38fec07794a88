// Real MCP servers for the tests, on 127.0.0.1 and free ports:
// - server-everything (the reference server; legacy era, sessions), as its own process;
// - a current-era (2026-07-28) server built with the official @modelcontextprotocol/server v2,
//   behind a node:http adapter, with tools that report progress, fail, and ask the user.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, inputRequired, inputResponse, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

const EVERYTHING = new URL('../../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}

/** server-everything in streamableHttp mode; `restart()` kills it and starts it again on the same port (every session is lost). */
export async function everything(): Promise<{ url: string; port: number; restart(): Promise<void>; stop(): Promise<void> }> {
  const port = await freePort();
  let child: ChildProcess;
  const start = async () => {
    child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((ok, fail) => {
      const t = setTimeout(() => fail(new Error('server-everything did not start')), 20_000);
      child.stderr!.on('data', (d: Buffer) => { if (String(d).includes('listening')) { clearTimeout(t); ok(); } });
      child.on('exit', (code) => fail(new Error(`server-everything exited (${code})`)));
    });
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((ok) => child.once('exit', ok));
    child.kill();
    await gone;
  };
  await start();
  return { url: `http://127.0.0.1:${port}/mcp`, port, stop, restart: async () => { await stop(); await start(); } };
}

export interface CurrentServer {
  readonly url: string;
  /** What the tools saw: aborted calls, answers, requests by method. */
  readonly log: { aborted: string[]; methods: string[]; headers: Record<string, string>[] };
  stop(): Promise<void>;
}

/** A current-era server (the official SDK v2), `legacy: 'reject'` to refuse the 2025 era, `cors` headers for browsers. */
export async function currentServer(opts: { legacy?: 'stateless' | 'reject'; cors?: boolean } = {}): Promise<CurrentServer> {
  const log: CurrentServer['log'] = { aborted: [], methods: [], headers: [] };
  const factory = () => {
    const s = new McpServer({ name: 'current-test', version: '1.0.0' });
    s.registerTool('echo', { description: 'Echo back', inputSchema: z.object({ message: z.string() }) }, async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
    s.registerTool('fail', { description: 'Always fails', inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'the disk is full' }], isError: true }));
    s.registerTool('add', { description: 'Add two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }), outputSchema: z.object({ sum: z.number() }) },
      async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }));
    s.registerTool('slow', { description: 'Reports progress', inputSchema: z.object({ steps: z.number(), ms: z.number() }) }, async ({ steps, ms }, c) => {
      const token = c.mcpReq._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        await new Promise((r) => setTimeout(r, ms));
        if (c.mcpReq.signal.aborted) { log.aborted.push(`slow@${i}`); throw new Error('aborted'); }
        if (token !== undefined) await c.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps, message: `step ${i}/${steps}` } });
      }
      return { content: [{ type: 'text', text: `done ${steps}` }] };
    });
    s.registerTool('big', { description: 'A long text', inputSchema: z.object({ chars: z.number() }) }, async ({ chars }) => ({ content: [{ type: 'text', text: 'x'.repeat(chars) }] }));
    s.registerTool('delete_file', { description: 'Delete a file, after the user confirms', inputSchema: z.object({ path: z.string() }) }, async ({ path }, c) => {
      const ans = inputResponse(c.mcpReq.inputResponses, 'confirm');
      if (ans.kind === 'missing') {
        return inputRequired({
          inputRequests: { confirm: inputRequired.elicit({ message: `Delete ${path}?`, requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } }) },
          requestState: Buffer.from(JSON.stringify({ path })).toString('base64url'),
        });
      }
      const state = JSON.parse(Buffer.from(String(c.mcpReq.requestState() ?? ''), 'base64url').toString() || '{}') as { path?: string };
      if (ans.kind === 'elicit' && ans.action === 'accept' && (ans.content as { ok?: boolean } | undefined)?.ok === true) return { content: [{ type: 'text', text: `deleted ${state.path}` }] };
      return { content: [{ type: 'text', text: `kept ${state.path} (${ans.kind === 'elicit' ? ans.action : ans.kind})` }] };
    });
    return s;
  };
  const handler = createMcpHandler(factory, { legacy: opts.legacy ?? 'stateless' });
  const cors: Record<string, string> = opts.cors ? { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, GET, DELETE, OPTIONS' } : {};
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'OPTIONS') { res.writeHead(204, cors).end(); return; }
    const ac = new AbortController();
    res.on('close', () => { if (!res.writableFinished) ac.abort(); });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    log.headers.push(Object.fromEntries(headers));
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    try { log.methods.push((JSON.parse(String(body)) as { method?: string }).method ?? '(answer)'); } catch { log.methods.push(req.method ?? ''); }
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, ...(body && req.method !== 'GET' ? { body } : {}), signal: ac.signal });
    const response = await handler.fetch(request);
    const out: Record<string, string> = { ...cors };
    response.headers.forEach((v, k) => { out[k] = v; });
    res.writeHead(response.status, out);
    if (!response.body) { res.end(); return; }
    const reader = response.body.getReader();
    ac.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}));
    try { for (;;) { const { done, value } = await reader.read(); if (done) break; res.write(value); } } catch { /* the client went away */ }
    res.end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, log, stop: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}
