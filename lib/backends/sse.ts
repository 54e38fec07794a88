import { LLMError } from '../errors.ts';
import { redact } from './secrets.ts';
// Server-Sent Events over Web Streams (the framing every provider streams in).

export interface SSEEvent {
  /** The `event:` field, when the server names events (Anthropic, Responses, errors). */
  readonly event?: string;
  readonly data: string;
}

/**
 * Yields each event of an SSE body. Chunk boundaries may fall anywhere (inside a line, a
 * UTF-8 character or a `\r\n`); an event the body ends without a blank line after is
 * still delivered, since some servers omit it.
 */
export async function* readSSE(body: ReadableStream<Uint8Array>): AsyncGenerator<SSEEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let event: string | undefined;
  let data: string[] = [];
  let pendingCR = false;

  const line = (l: string): SSEEvent | undefined => {
    if (l === '') {
      if (data.length === 0) { event = undefined; return undefined; }
      const out: SSEEvent = event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') };
      event = undefined;
      data = [];
      return out;
    }
    if (l.startsWith(':')) return undefined; // a comment, e.g. a keep-alive
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    return undefined;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      buf += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A "\r\n" split across chunks: drop the "\n" we already ended a line for.
      if (pendingCR && buf.startsWith('\n')) buf = buf.slice(1);
      pendingCR = false;
      let start = 0;
      for (let i = 0; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        if (c === 13 && i === buf.length - 1 && !done) { pendingCR = true; }
        const ev = line(buf.slice(start, i));
        if (ev) yield ev;
        if (c === 13 && buf.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
      buf = buf.slice(start);
      if (done) {
        if (buf !== '') { const ev = line(buf); if (ev) yield ev; }
        const last = line('');
        if (last) yield last;
        return;
      }
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}

/**
 * The events of a streamed API response as parsed JSON (`'[DONE]'` passed through as is), with
 * the idle timer touched per event. A data line that is not JSON is a `malformed` LLMError.
 */
export async function* jsonEvents(res: Response, provider: string, touch: () => void): AsyncGenerator<{ event?: string; data: Record<string, unknown> | '[DONE]' }> {
  if (!res.body) throw new LLMError('malformed', `${provider}: the streamed response has no body.`);
  for await (const ev of readSSE(res.body)) {
    touch();
    if (ev.data === '[DONE]') { yield { data: '[DONE]' }; continue; }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(ev.data) as Record<string, unknown>;
    } catch {
      throw new LLMError('malformed', `${provider}: a stream line is not JSON: ${redact(ev.data.slice(0, 120))}`);
    }
    yield ev.event === undefined ? { data } : { event: ev.event, data };
  }
}
