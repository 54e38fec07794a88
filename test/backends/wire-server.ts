// A local HTTP server that speaks the providers' wire formats from recorded fixtures,
// with fault injection: statuses, headers, awkward chunk boundaries, cut or stalled streams.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const FIXTURES = fileURLToPath(new URL('../fixtures/wire/', import.meta.url));
export const fixture = (path: string) => readFileSync(FIXTURES + path, 'utf8');

/** `.chunks.txt` → an OpenAI-style SSE body: `data: <json>` per line, then `data: [DONE]`. */
export function openaiSSE(chunks: string, done = true): string {
  const lines = chunks.split('\n').filter((l) => l.trim() !== '');
  return lines.map((l) => `data: ${l}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Write the body in pieces of this many bytes (UTF-8 characters and JSON strings get split). */
  chunkBytes?: number;
  /** Destroy the socket after this many bytes of body. */
  cutAfter?: number;
  /** Write this many bytes of body, then never finish (a stalled stream). */
  stallAfter?: number;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** Serves `replies` in order, one per request (the last one repeats). */
export async function wireServer(replies: Reply[]) {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const c of req) raw += c;
    let body: unknown = raw;
    try { body = JSON.parse(raw); } catch { /* keep text */ }
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const r = replies[Math.min(seen.length - 1, replies.length - 1)]!;
    if (r.delayMs) await new Promise((ok) => setTimeout(ok, r.delayMs));
    if (res.destroyed) return;
    const text = r.body ?? '';
    const sse = text.startsWith('data:') || text.startsWith('event:');
    res.writeHead(r.status ?? 200, { 'content-type': sse ? 'text/event-stream' : 'application/json', ...r.headers });
    const bytes = Buffer.from(text, 'utf8');
    const size = r.chunkBytes ?? bytes.length;
    const end = Math.min(bytes.length, r.stallAfter ?? bytes.length);
    for (let i = 0; i < end; i += size) {
      if (r.cutAfter !== undefined && i >= r.cutAfter) { res.socket?.destroy(); return; }
      if (res.destroyed) return;
      res.write(bytes.subarray(i, Math.min(i + size, end)));
      if (r.chunkBytes) await new Promise((ok) => setImmediate(ok));
    }
    if (r.cutAfter !== undefined) { res.socket?.destroy(); return; }
    if (r.stallAfter === undefined) res.end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** `serve(replies)` for a test file: every server it starts is closed after each test. */
export function useWireServers(): (replies: Reply[]) => ReturnType<typeof wireServer> {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => { await Promise.all(open.splice(0).map((s) => s.close())); });
  return async (replies) => {
    const s = await wireServer(replies);
    open.push(s);
    return s;
  };
}
