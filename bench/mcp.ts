// looplet/mcp's numbers, each beside a baseline measured in the same run:
// 1. bytes: what looplet/mcp adds (min+gzip) to the minimal agent's app, against an app that
//    imports the official client (@modelcontextprotocol/client v2: Client + its HTTP transport);
// 2. time: a tools/list and a tools/call through mcpClient, against the same requests (the same
//    headers, `_meta` and progress token) written by hand with fetch, on the same local servers (current era: the official SDK v2
//    server; legacy era: server-everything, where each round also opens and ends a session).
// Run: npx tsx bench/mcp.ts
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mcpClient } from '../lib/mcp/index.ts';
import { currentServer, everything } from '../test/mcp/servers.ts';
import { bundle } from './bundle.mjs';

const dir = mkdtempSync(join(tmpdir(), 'looplet-mcp-bench-'));
const app = (name: string, code: string) => { const f = join(dir, `${name}.ts`); writeFileSync(f, code); return f; };
const agent = `export { composableLoop, ToolRegistry, collect, OpenAIBackend } from '${resolve('lib/index.ts')}';`;
const base = (await bundle(app('agent', agent))).gzip;
const withMcp = (await bundle(app('agent-mcp', `${agent}\nexport { mcpClient } from '${resolve('lib/mcp/index.ts')}';`))).gzip;
const official = (await bundle(app('official', `export { Client, StreamableHTTPClientTransport } from '${resolve('node_modules/@modelcontextprotocol/client/dist/index.mjs')}';`))).gzip;
const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;
console.log('bytes (min+gzip, what a page loads up front)');
console.log(`  the minimal agent                         ${kB(base)}`);
console.log(`  + looplet/mcp                              +${kB(withMcp - base)}  (target ≤ 4.0 kB)`);
console.log(`  the official client alone (Client + HTTP)  ${kB(official)}  → looplet/mcp is ${((withMcp - base) / official).toFixed(3)}× its size`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const H = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
// exactly what mcpClient sends, so both sides ask the server for the same work
const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } }, 'io.modelcontextprotocol/clientInfo': { name: 'looplet', version: '0.2.0' } };

/** One JSON-RPC exchange by hand: POST, then read until the result arrives (JSON body or SSE event), as a client would. */
async function raw(url: string, headers: Record<string, string>, body: Record<string, unknown>): Promise<Response> {
  const res = await fetch(url, { method: 'POST', headers: { ...H, ...headers }, body: JSON.stringify({ jsonrpc: '2.0', ...body }) });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
    if (body.id !== undefined && /"(result|error)"/.test(text) && (!text.includes('data:') || text.endsWith('\n\n'))) { await reader.cancel(); break; }
  }
  return res;
}

/** Both ways, alternating round by round (so drift on a shared machine hits both alike). */
async function compare(label: string, n: number, byHand: () => Promise<void>, ours: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 20; i++) { await byHand(); await ours(); } // warm up
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now(); await byHand(); a.push(performance.now() - t);
    t = performance.now(); await ours(); b.push(performance.now() - t);
  }
  const [x, y] = [median(a), median(b)];
  console.log(`  ${label.padEnd(36)} by hand ${x.toFixed(2)} ms · mcpClient ${y.toFixed(2)} ms → overhead ${(y - x).toFixed(2)} ms per round (${(y / x).toFixed(2)}×)`);
}

const N = 200;
console.log(`\ntime: tools/list + tools/call echo, medians of ${N} rounds (legacy: ${N / 4}) after 20 to warm up`);
const cur = await currentServer({ legacy: 'reject' });
try {
  const c = mcpClient({ url: cur.url, protocol: 'current' });
  await compare('current era', N, async () => {
    await raw(cur.url, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' }, { id: 1, method: 'tools/list', params: { _meta: META } });
    await raw(cur.url, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' }, { id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' }, _meta: { ...META, progressToken: 'p' } } });
  }, async () => {
    await mcpClient({ url: cur.url, protocol: 'current' }).serverTools(); // a new client: no cached list
    await c.callTool('echo', { message: 'hi' });
  });
} finally { await cur.stop(); }

const ev = await everything();
try {
  await compare('legacy era (a session per round)', N / 4, async () => {
    const init = await raw(ev.url, {}, { id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'looplet', version: '0.2.0' } } });
    const s = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    await raw(ev.url, s, { method: 'notifications/initialized' });
    await raw(ev.url, s, { id: 2, method: 'tools/list' });
    await raw(ev.url, s, { id: 3, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' }, _meta: { progressToken: 'p' } } });
    await (await fetch(ev.url, { method: 'DELETE', headers: s })).text();
  }, async () => {
    const c = mcpClient({ url: ev.url, protocol: 'legacy', listen: false }); // the same requests as by hand: no standalone stream
    await c.serverTools();
    await c.callTool('echo', { message: 'hi' });
    await c.close();
  });
} finally { await ev.stop(); }
