// looplet/mcp: MCP tools over fetch and Web Streams, in any runtime. It speaks both eras of the
// Streamable HTTP transport and finds out which one a server speaks:
// - current (2026-07-28): no handshake; every request carries its protocol version, client info
//   and capabilities in `_meta`, and `MCP-Protocol-Version` / `Mcp-Method` / `Mcp-Name` headers;
//   results have a `resultType` (`input_required` asks the user, retried with `inputResponses`);
//   closing the stream cancels. modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http,
//   …/basic (`_meta`, resultType), …/basic/patterns/mrtr, …/server/utilities/caching, …/basic/versioning
// - legacy (2025-11-25, 2025-06-18): `initialize` + `notifications/initialized`, an
//   `Mcp-Session-Id` kept and resent, opened again once when the server no longer knows it (the
//   spec says 404; many servers answer 400), `DELETE` on close, `notifications/cancelled` on abort.
//   modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management, …/basic/lifecycle
// Both: JSON or SSE answers, `notifications/progress` (a call's timeout restarts on each),
// `tools/list` pages (`cursor` / `nextCursor`), `notifications/tools/list_changed`
// (…/2025-11-25/basic/utilities/progress, …/server/utilities/pagination, …/server/tools).
import { redact, secretsOf } from '../backends/secrets.ts';
import { readSSE } from '../backends/sse.ts';
import { McpError } from './errors.ts';
import { mcpToolSpecs } from './tools.ts';
import type { McpCallOptions, McpCallResult, McpClient, McpClientOptions, McpProgress, McpToolInfo } from './types.ts';
import { post, type Reply, type Rpc } from './wire.ts';

export const CURRENT = '2026-07-28';
const LEGACY = ['2025-11-25', '2025-06-18', '2025-03-26'];
const CLIENT = { name: 'looplet', version: '0.2.0' };

type Era = 'current' | 'legacy';

export function mcpClient(options: McpClientOptions): McpClient {
  const url = String(options.url);
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const name = options.name ?? new URL(url).host;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let era: Era | undefined = options.protocol === 'current' || options.protocol === 'legacy' ? options.protocol : undefined;
  let version: string | undefined; // the legacy version agreed on by initialize
  let session: string | undefined;
  let hidden = false; // a browser got a session but may not read its id
  let token: string | undefined;
  let seq = 0;
  let listed: { at: number; ttl: number; tools: McpToolInfo[] } | undefined;
  let changed = false;
  const open = new Set<AbortController>();
  const secrets = () => [...secretsOf({ headers: options.headers ?? {} }), ...(token && token.length >= 4 ? [token] : [])];

  const headers = (era: Era, extra: Record<string, string> = {}): Record<string, string> => ({
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...options.headers,
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(era === 'current' ? { 'mcp-protocol-version': CURRENT } : { ...(version ? { 'mcp-protocol-version': version } : {}), ...(session ? { 'mcp-session-id': session } : {}) }),
    ...extra,
  });

  const onMessage = (restart: () => void, onProgress?: (p: McpProgress) => void) => (m: Rpc) => {
    if (m.method === 'notifications/progress') { restart(); onProgress?.(m.params as unknown as McpProgress); }
    else if (m.method === 'notifications/tools/list_changed') changed = true;
    else if (m.method && m.id != null) void notify({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: `looplet does not answer ${m.method}` } });
  };

  /** One request in one era, with its time limit (restarted by progress) and the caller's signal. */
  async function send(era: Era, method: string, params: Record<string, unknown>, o: McpCallOptions & { extra?: Record<string, string> }): Promise<Reply> {
    const id = ++seq;
    const ctrl = new AbortController();
    open.add(ctrl);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ctrl.abort(new McpError('timeout', `MCP server ${name}: no answer to ${method} within ${timeoutMs} ms.`)), timeoutMs);
    };
    const stop = () => ctrl.abort(new McpError('aborted', `MCP ${method} on ${name} was aborted.`, { retriable: false }));
    if (o.signal?.aborted) stop();
    o.signal?.addEventListener('abort', stop);
    restart();
    const meta = {
      ...(era === 'current' ? { 'io.modelcontextprotocol/protocolVersion': CURRENT, 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } }, 'io.modelcontextprotocol/clientInfo': CLIENT } : {}),
      ...(method === 'tools/call' ? { progressToken: `looplet-${id}` } : {}), // so the server reports progress
    };
    const extra = era === 'current' ? { 'mcp-method': method, ...o.extra } : {};
    try {
      if (options.getToken) token = await options.getToken();
      return await post({
        url, fetch: doFetch, headers: headers(era, extra), signal: ctrl.signal, secrets: secrets(), server: name,
        body: { jsonrpc: '2.0', id, method, params: Object.keys(meta).length ? { ...params, _meta: meta } : params },
        onMessage: onMessage(restart, o.onProgress),
      });
    } catch (err) {
      // the current era cancels by closing the stream; the legacy one is told
      if (era === 'legacy' && err instanceof McpError && (err.code === 'timeout' || err.code === 'aborted')) void notify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: err.message } });
      throw err;
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', stop);
      open.delete(ctrl);
    }
  }

  async function notify(body: Record<string, unknown>): Promise<void> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(new McpError('timeout', `MCP server ${name}: no answer within ${timeoutMs} ms.`)), timeoutMs);
    try {
      await post({ url, fetch: doFetch, headers: headers('legacy'), body, signal: ctrl.signal, secrets: secrets(), server: name });
    } catch {
      // a notification that does not arrive changes nothing we wait for
    } finally {
      clearTimeout(timer);
    }
  }

  async function initialize(signal?: AbortSignal): Promise<void> {
    session = undefined;
    version = undefined;
    const reply = await send('legacy', 'initialize', { protocolVersion: LEGACY[0], capabilities: {}, clientInfo: CLIENT }, signal ? { signal } : {});
    if (!reply.ok) throw refusal(reply);
    const v = String(reply.result?.protocolVersion);
    if (!LEGACY.includes(v)) throw new McpError('protocol', `MCP server ${name} speaks protocol ${v}; looplet speaks ${CURRENT} and ${LEGACY.join(', ')}.`);
    session = reply.res.headers.get('mcp-session-id') ?? undefined;
    hidden = !session && reply.res.type === 'cors';
    version = v;
    await notify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    if ((reply.result?.capabilities as { tools?: { listChanged?: boolean } } | undefined)?.tools?.listChanged && options.listen !== false) listen();
  }

  /** The legacy era's standalone stream, where a server says its tools changed; closed by close(). */
  function listen(): void {
    const ctrl = new AbortController();
    open.add(ctrl);
    void doFetch(url, { headers: { ...headers('legacy'), accept: 'text/event-stream' }, signal: ctrl.signal })
      .then(async (res) => {
        if (!res.ok || !res.body) return void res.body?.cancel();
        for await (const ev of readSSE(res.body)) if (ev.data.includes('notifications/tools/list_changed')) changed = true;
      })
      .catch(() => {}) // optional: a server may refuse it (405) or close it
      .finally(() => open.delete(ctrl));
  }

  function refusal(reply: Extract<Reply, { ok: false }>): McpError {
    const { status } = reply.res;
    const said = reply.rpc?.error?.message ?? reply.text.replace(/\s+/g, ' ').slice(0, 200);
    const message = `MCP server ${name}: HTTP ${status}${said ? `: ${said}` : ''}`;
    const safe = redact(message, secrets());
    if (status === 401 || status === 403) return new McpError('auth', safe, { status });
    return reply.rpc?.error ? new McpError('rpc', safe, { status, rpcCode: reply.rpc.error.code }) : new McpError('http', safe, { status, retriable: status === 429 || status >= 500 });
  }

  /** A request: in the era the server speaks (found on the first one), the session opened again if it expired, the token renewed once after a 401. */
  async function request(method: string, params: Record<string, unknown>, o: McpCallOptions & { extra?: Record<string, string> } = {}): Promise<Record<string, unknown>> {
    let renewed = false, reopened = false;
    for (;;) {
      if (era === 'legacy' && version === undefined) await initialize(o.signal);
      const speak = era ?? 'current';
      const reply = await send(speak, method, params, o);
      if (reply.ok) {
        era = speak;
        // a server may echo the token or a header back: what it says reaches no model, trace or checkpoint with it
        const masked = secrets().length ? JSON.parse(redact(JSON.stringify(reply.result ?? {}), secrets())) as Record<string, unknown> : reply.result;
        return masked ?? {};
      }
      const { status } = reply.res;
      const code = reply.rpc?.error?.code;
      if (status === 401 && options.getToken && !renewed) { renewed = true; continue; }
      // an older server refuses what it cannot read (not a current-era error): speak the legacy era
      if (!era && [400, 404, 405].includes(status) && code !== -32020 && code !== -32021) { era = 'legacy'; continue; }
      const lost = era === 'legacy' && (status === 404 || (status === 400 && /session|not initialized/i.test(reply.rpc?.error?.message ?? reply.text)));
      if (lost && hidden) throw new McpError('cors', `MCP server ${name}: this page cannot read the session id the server sent. The server must send Access-Control-Expose-Headers: Mcp-Session-Id.`);
      if (lost && !reopened) { reopened = true; version = undefined; continue; }
      if (lost) throw new McpError('session', `MCP server ${name}: the session expired and a new one was refused too (HTTP ${status}).`, { status });
      throw refusal(reply);
    }
  }

  async function serverTools(o: { signal?: AbortSignal } = {}): Promise<McpToolInfo[]> {
    if (listed && !changed && (listed.ttl === 0 || Date.now() < listed.at + listed.ttl)) return listed.tools;
    changed = false;
    const tools: McpToolInfo[] = [];
    let cursor: unknown;
    let ttl = 0;
    for (let page = 0; page < 100; page++) {
      const r = await request('tools/list', typeof cursor === 'string' ? { cursor } : {}, o);
      if (!Array.isArray(r.tools)) throw new McpError('protocol', `MCP server ${name}: tools/list answered without a tools array.`);
      tools.push(...(r.tools as McpToolInfo[]).filter((t) => t && typeof t.name === 'string'));
      ttl = Math.max(0, Number(r.ttlMs) || 0);
      cursor = r.nextCursor;
      if (typeof cursor !== 'string') break;
    }
    listed = { at: Date.now(), ttl, tools };
    return tools;
  }

  const client: McpClient = {
    name,
    get protocol() { return era; },
    serverTools,
    async listTools(o) {
      return mcpToolSpecs(client, await serverTools(o), options, () => changed || (!!listed && listed.ttl > 0 && Date.now() >= listed.at + listed.ttl));
    },
    async callTool(tool, args, o = {}) {
      const info = listed?.tools.find((t) => t.name === tool);
      const extra: Record<string, string> = { 'mcp-name': headerValue(tool), ...paramHeaders(info, args) };
      const params = { name: tool, arguments: args, ...(o.inputResponses ? { inputResponses: o.inputResponses } : {}), ...(o.requestState !== undefined ? { requestState: o.requestState } : {}) };
      return (await request('tools/call', params, { ...o, extra })) as McpCallResult;
    },
    async close() {
      for (const c of open) c.abort(new McpError('aborted', `MCP client for ${name} closed.`, { retriable: false }));
      if (era === 'legacy' && session) {
        const ctrl = new AbortController();
        const timer = setTimeout(() => ctrl.abort(new McpError('timeout', 'close timed out')), Math.min(timeoutMs, 5000));
        await post({ url, fetch: doFetch, method: 'DELETE', headers: headers('legacy'), signal: ctrl.signal, secrets: secrets(), server: name }).catch(() => {});
        clearTimeout(timer);
      }
      session = undefined;
      version = undefined;
    },
  };
  return client;
}

/** A header value as the current era sends it: visible ASCII as it is, anything else base64 of its UTF-8. */
function headerValue(v: string): string {
  if (/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(v) && !v.startsWith('=?base64?')) return v;
  let bin = '';
  for (const b of new TextEncoder().encode(v)) bin += String.fromCharCode(b);
  return `=?base64?${btoa(bin)}?=`;
}

/** `Mcp-Param-*` headers for the arguments a tool's schema marks with `x-mcp-header`. */
function paramHeaders(info: McpToolInfo | undefined, args: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const props = (info?.inputSchema as { properties?: Record<string, { 'x-mcp-header'?: unknown }> } | undefined)?.properties ?? {};
  for (const [k, p] of Object.entries(props)) {
    const h = p?.['x-mcp-header'];
    const v = args[k];
    if (typeof h === 'string' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[`mcp-param-${h.toLowerCase()}`] = headerValue(String(v));
  }
  return out;
}
