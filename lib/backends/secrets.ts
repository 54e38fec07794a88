// Keeping a backend's secrets out of everything it returns. A server may echo the key it was
// sent (in an error message, or worse), in any format: masked here by its value — the configured
// key and every header value the user configured — and, as a backstop, anything shaped like a
// well-known key. Applied where backend text enters the library: errors, replies, streamed pieces.
import { LLMError } from '../errors.ts';
import type { LLMDelta, LLMResponse } from './types.ts';

const MASK = '***';

/** The values a backend must never let through: its key, and the values of the headers its user set. */
export function secretsOf(opts: { readonly apiKey?: string; readonly headers?: Readonly<Record<string, string>> }): readonly string[] {
  const out: string[] = [];
  if (typeof opts.apiKey === 'string' && opts.apiKey.length >= 4) out.push(opts.apiKey);
  // Short values (`true`, a version) are not secrets, and masking them would garble text.
  for (const v of Object.values(opts.headers ?? {})) if (typeof v === 'string' && v.length >= 8) out.push(v.replace(/^Bearer\s+/i, ''));
  return out.sort((a, b) => b.length - a.length); // a longer secret first, in case one contains another
}

/** `text` with every secret value, and anything shaped like a well-known key or a bearer token, masked. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out
    .replace(/\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_-]{6,}/g, `$1${MASK}`)
    .replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi, `$1${MASK}`);
}

/** The error with its message masked (a new error, so its stack is built from the masked message). */
export function redactError(err: LLMError, secrets: readonly string[]): LLMError {
  const message = redact(err.message, secrets);
  return message === err.message ? err : new LLMError(err.kind, message, err);
}

/** The reply with its text, reasoning and tool-call arguments masked. */
export function redactResponse(r: LLMResponse, secrets: readonly string[]): LLMResponse {
  if (secrets.length === 0) return r;
  if (r.text !== undefined) r.text = redact(r.text, secrets);
  if (r.reasoning !== undefined) r.reasoning = redact(r.reasoning, secrets);
  for (const c of r.toolCalls ?? []) if (typeof c.arguments === 'string') c.arguments = redact(c.arguments, secrets);
  return r;
}

/** A delta listener that gets each streamed piece masked. */
export function redactDeltas(onDelta: ((d: LLMDelta) => void) | undefined, secrets: readonly string[]): ((d: LLMDelta) => void) | undefined {
  if (!onDelta || secrets.length === 0) return onDelta;
  return (d) => onDelta(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, typeof v === 'string' ? redact(v, secrets) : v])));
}
