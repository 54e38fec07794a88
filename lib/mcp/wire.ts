// One JSON-RPC message POSTed over Streamable HTTP. The answer comes as JSON or as an SSE stream
// whose notifications (progress, list changes) are handed on before the result. HTTP refusals
// are returned, not thrown: the client decides (a stale session, an older server, a 401).
import { redact } from '../backends/secrets.ts';
import { readSSE } from '../backends/sse.ts';
import { McpError } from './errors.ts';

/** A JSON-RPC message, as far as the client reads one. */
export interface Rpc {
  readonly id?: string | number | null;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

export interface Post {
  readonly url: string;
  readonly fetch: typeof fetch;
  readonly method?: 'POST' | 'DELETE';
  readonly headers: Record<string, string>;
  readonly body?: Record<string, unknown>;
  readonly signal: AbortSignal;
  readonly secrets: readonly string[];
  readonly server: string;
  /** Every other message on the response stream: notifications, requests from the server. */
  readonly onMessage?: (msg: Rpc) => void;
}

export type Reply =
  | { readonly ok: true; readonly res: Response; readonly result?: Record<string, unknown> }
  | { readonly ok: false; readonly res: Response; readonly rpc?: Rpc; readonly text: string };

export async function post(p: Post): Promise<Reply> {
  const say = (code: 'protocol' | 'unreachable', what: string) => new McpError(code, redact(`MCP server ${p.server}: ${what}`, p.secrets), { retriable: true });
  let res: Response;
  try {
    res = await p.fetch(p.url, { method: p.method ?? 'POST', headers: p.headers, ...(p.body ? { body: JSON.stringify(p.body) } : {}), signal: p.signal });
  } catch (err) {
    if (p.signal.aborted) throw p.signal.reason;
    throw say('unreachable', `cannot be reached at ${p.url} (${(err as Error).message}).`);
  }
  const id = p.body?.id;
  const type = res.headers.get('content-type') ?? '';
  try {
    if (!res.ok) {
      const text = (await res.text()).slice(0, 2000);
      const rpc = json(text) as Rpc | undefined;
      return { ok: false, res, text, ...(rpc && typeof rpc === 'object' ? { rpc } : {}) };
    }
    if (id === undefined || res.status === 202) { await res.body?.cancel(); return { ok: true, res }; }
    if (type.includes('text/event-stream') && res.body) {
      for await (const ev of readSSE(res.body)) {
        if (!ev.data.trim()) continue; // a priming event
        const msg = json(ev.data) as Rpc | undefined;
        if (!msg || typeof msg !== 'object') throw say('protocol', `sent a stream event that is not JSON-RPC: ${ev.data.slice(0, 120)}`);
        if (msg.id === id && (msg.result || msg.error)) return answer(msg, res, p);
        p.onMessage?.(msg);
      }
      throw say('protocol', 'closed the stream before answering.');
    }
    const text = await res.text();
    const msg = json(text) as Rpc | undefined;
    if (!msg || typeof msg !== 'object') throw say('protocol', `answered ${type || 'without a content type'} that is not JSON-RPC: ${text.slice(0, 120)}`);
    if (msg.id !== id) throw say('protocol', `answered request ${JSON.stringify(msg.id)} when asked ${JSON.stringify(id)}.`);
    return answer(msg, res, p);
  } catch (err) {
    if (p.signal.aborted) throw p.signal.reason;
    throw err;
  }
}

function answer(msg: Rpc, res: Response, p: Post): Reply {
  if (msg.error) throw new McpError('rpc', redact(`MCP server ${p.server}: ${msg.error.message} (JSON-RPC ${msg.error.code}).`, p.secrets), { rpcCode: msg.error.code });
  if (!msg.result || typeof msg.result !== 'object') throw new McpError('protocol', `MCP server ${p.server}: answered without a result object.`);
  return { ok: true, res, result: msg.result };
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
