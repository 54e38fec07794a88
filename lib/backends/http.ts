import { errorMessage, LLMError, type LLMErrorKind } from '../errors.ts';
import { priced, type Prices } from './cost.ts';
import { redact, redactError, redactResponse } from './secrets.ts';
import type { LLMResponse } from './types.ts';

/** Transport options every HTTP backend takes. */
export interface HttpOptions {
  /** A fetch to use instead of the global one (a proxy, a test server, a Worker's binding). */
  fetch?: typeof fetch;
  /** Retries after a retriable failure (408, 409, 429, 5xx, network). Default 2. */
  maxRetries?: number;
  /** Per attempt: until the response starts, then the longest silence allowed while streaming. Default 600 000. */
  timeoutMs?: number;
  /** Extra headers (an org id, a proxy key…). They never enter traces or errors. */
  headers?: Record<string, string>;
}

export interface Call {
  readonly provider: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly signal: AbortSignal;
  /** What must never come back in an error or a reply (see secretsOf). */
  readonly secrets: readonly string[];
}

/** A response under way: `touch()` on each chunk keeps the idle timer from firing; `done()` clears it. */
export interface Open {
  readonly response: Response;
  readonly signal: AbortSignal;
  touch(): void;
  done(): void;
  /** The error to throw when reading the body fails (timeout, abort or a cut connection). */
  failure(err: unknown): LLMError;
  readonly secrets: readonly string[];
}

const RETRY_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);
const MAX_WAIT_MS = 60_000;

/** POSTs JSON, retrying retriable failures with backoff; resolves once a 2xx response has started. */
export async function post(call: Call, opts: HttpOptions): Promise<Open> {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const maxRetries = opts.maxRetries ?? 2;
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const payload = JSON.stringify(call.body);
  for (let attempt = 0; ; attempt++) {
    if (call.signal.aborted) throw aborted(call.provider);
    const ctrl = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => { timedOut = true; ctrl.abort(); }, timeoutMs);
    };
    const onAbort = () => ctrl.abort();
    call.signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      call.signal.removeEventListener('abort', onAbort);
    };
    const failure = (err: unknown): LLMError => {
      if (err instanceof LLMError) return err;
      if (call.signal.aborted) return aborted(call.provider);
      if (timedOut) return new LLMError('timeout', `${call.provider}: no response for ${timeoutMs}ms.`, { retriable: true });
      return new LLMError('network', `${call.provider}: network error (${redact(causeText(err), call.secrets)}).`, { retriable: true });
    };
    arm();
    let error: LLMError;
    try {
      const response = await doFetch(call.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...call.headers },
        body: payload,
        signal: ctrl.signal,
      });
      if (response.ok) return { response, signal: ctrl.signal, touch: arm, done, failure, secrets: call.secrets };
      error = await errorFrom(call.provider, response, call.secrets);
      done();
    } catch (err) {
      done();
      error = failure(err);
    }
    if (error.kind === 'aborted' || !error.retriable || attempt >= maxRetries) throw error;
    const wait = error.retryAfterMs ?? backoff(attempt);
    if (wait > MAX_WAIT_MS) throw error; // the caller decides about long waits: retryAfterMs says how long
    await sleep(wait, call.signal).catch(() => { throw aborted(call.provider); });
  }
}

/** Exponential backoff with full jitter: 0.5–1 s, 1–2 s, 2–4 s… capped at 8 s. */
function backoff(attempt: number): number {
  const ceiling = Math.min(8000, 1000 * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal.removeEventListener('abort', stop); resolve(); }, ms);
    const stop = () => { clearTimeout(t); reject(signal.reason); };
    signal.addEventListener('abort', stop, { once: true });
  });
}

const aborted = (provider: string) => new LLMError('aborted', `${provider}: the request was aborted.`);

function causeText(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  return cause ? `${errorMessage(err)}: ${errorMessage(cause)}` : errorMessage(err);
}

/** Turns a non-2xx response into a typed error, reading what the provider said. */
export async function errorFrom(provider: string, res: Response, secrets: readonly string[] = []): Promise<LLMError> {
  let text = '';
  try {
    text = (await res.text()).slice(0, 4000);
  } catch {
    // the body is optional for the error
  }
  const status = res.status;
  const info = describe(text, res.headers.get('content-type'));
  const kind = kindOf(status, info);
  const shouldRetry = res.headers.get('x-should-retry');
  let retriable = RETRY_STATUS.has(status) && kind !== 'bad_request' && !/insufficient_quota/.test(info.code);
  if (shouldRetry === 'true') retriable = true;
  else if (shouldRetry === 'false') retriable = false;
  const retryAfterMs = retryAfter(res.headers);
  return new LLMError(kind, `${provider} ${status}: ${redact(info.message, secrets)}`, {
    status,
    retriable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function describe(text: string, contentType: string | null): { message: string; code: string } {
  const trimmed = text.trimStart();
  if ((contentType ?? '').includes('text/html') || trimmed.startsWith('<')) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return { message: `an HTML page${title ? ` ("${title}")` : ''} instead of an API response (a proxy or gateway error?)`, code: '' };
  }
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const e = (typeof j.error === 'object' && j.error !== null ? j.error : j) as Record<string, unknown>;
    const message = typeof e.message === 'string' ? e.message : typeof j.error === 'string' ? j.error : text;
    const code = [e.type, e.code, j.type].filter((x) => typeof x === 'string').join(' ');
    return { message: code ? `${message} (${code})` : message, code };
  } catch {
    return { message: text.trim().slice(0, 500) || '(empty body)', code: '' };
  }
}

const CONTEXT = /context_length|context length|context window|maximum context|too many tokens|prompt is too long|input is too long|reduce the length/i;

/** The error kind an HTTP status (and the provider's message) means. */
export function kindOf(status: number, info: { message: string; code: string }): LLMErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 409 || status >= 500) return 'server';
  if (CONTEXT.test(info.message) || CONTEXT.test(info.code)) return 'context_length';
  return 'bad_request';
}

function retryAfter(h: Headers): number | undefined {
  const ms = h.get('retry-after-ms');
  if (ms !== null && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = h.get('retry-after');
  if (ra === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Number(ra) * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Reads a started response with `read`, prices its usage, and always releases the request. */
export async function receive(open: Open, read: (res: Response) => Promise<LLMResponse>, model: string, prices: Prices | undefined): Promise<LLMResponse> {
  try {
    const out = redactResponse(await read(open.response), open.secrets);
    if (out.usage) out.usage = priced(out.usage, out.model ?? model, prices);
    return out;
  } catch (err) {
    throw redactError(open.failure(err), open.secrets);
  } finally {
    open.done();
  }
}

/** A whole (non-streamed) JSON body. A 200 whose body is not JSON is a malformed reply: retrying would not help. */
export async function readJSON(res: Response, provider: string): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new LLMError('malformed', `${provider}: the response is not JSON: ${redact(text.slice(0, 120))}`);
  }
}

export function isJSON(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}
