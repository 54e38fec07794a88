// looplet's OpenAI backend over the official `openai` package, for users who already
// configure that client (Azure, proxies, its retries). A subpath entry: `looplet/openai-sdk`.
// The package is an optional peer dependency; the core never imports it.
import { errorMessage, LLMError } from '../errors.ts';
import { priced } from './cost.ts';
import { kindOf } from './http.ts';
import { redact, redactDeltas, redactError, redactResponse, secretsOf } from './secrets.ts';
import { ChatAssembler, chatBody, parseChatResponse } from './openai/chat.ts';
import type { ChatOptions } from './openai/options.ts';
import type { LLMBackend, LLMResponse } from './types.ts';

/** The part of an `OpenAI` client this backend uses. */
export interface OpenAIClientLike {
  // `never` parameters accept the SDK's overloaded, precisely typed method.
  chat: { completions: { create(body: never, options?: never): unknown } };
  /** The client's key (the SDK keeps it here): masked wherever it could come back. */
  readonly apiKey?: string | null;
}

type Create = (body: Record<string, unknown>, options: { signal: AbortSignal }) => PromiseLike<unknown>;

export type OpenAISDKBackendOptions = ChatOptions;

export function openAISDKBackend(client: OpenAIClientLike, opts: OpenAISDKBackendOptions): LLMBackend {
  if (!client?.chat?.completions) throw new TypeError('openAISDKBackend needs an OpenAI client (new OpenAI({ ... })).');
  const stream = opts.stream ?? true;
  const secrets = clientSecrets(client);
  return {
    async generate(request, { signal, onDelta }) {
      const body = chatBody(opts, request, stream, false);
      let out: LLMResponse;
      try {
        const completions = client.chat.completions;
        const res = await (completions.create as unknown as Create).call(completions, body, { signal });
        if (stream) {
          const asm = new ChatAssembler(redactDeltas(onDelta, secrets));
          for await (const chunk of res as AsyncIterable<Record<string, unknown>>) asm.push(chunk);
          out = asm.finish(true);
        } else {
          out = parseChatResponse(res);
        }
      } catch (err) {
        throw redactError(fromSDK(err, signal, secrets), secrets);
      }
      if (out.usage) out.usage = priced(out.usage, out.model ?? opts.model, opts.prices);
      return redactResponse(out, secrets);
    },
  };
}

function fromSDK(err: unknown, signal: AbortSignal, secrets: readonly string[]): LLMError {
  if (err instanceof LLMError) return err;
  const e = err as { name?: string; status?: number; message?: string; error?: { message?: string; code?: string; type?: string } };
  if (signal.aborted || e?.name === 'APIUserAbortError' || e?.name === 'AbortError') return new LLMError('aborted', 'openai: the request was aborted.');
  if (e?.name === 'APIConnectionTimeoutError') return new LLMError('timeout', 'openai: the request timed out.', { retriable: true });
  const message = redact(errorMessage(err), secrets);
  if (typeof e?.status === 'number') {
    const code = [e.error?.type, e.error?.code].filter(Boolean).join(' ');
    const kind = kindOf(e.status, { message, code });
    const retriable = (e.status === 408 || e.status === 409 || e.status === 429 || e.status >= 500) && !/insufficient_quota/.test(code);
    return new LLMError(kind, `openai ${e.status}: ${message}`, { status: e.status, retriable });
  }
  return new LLMError('network', `openai: ${message}`, { retriable: true });
}

/** What the client was configured with that must never come back: its key, and its default headers' values. */
function clientSecrets(client: OpenAIClientLike): readonly string[] {
  const headers: Record<string, string> = {};
  // The SDK keeps its options here; default headers may be an object, a Headers, or [name, value] pairs.
  const given = (client as { _options?: { defaultHeaders?: unknown } })._options?.defaultHeaders;
  const pairs = given instanceof Headers ? [...given.entries()] : Array.isArray(given) ? given : given && typeof given === 'object' ? Object.entries(given) : [];
  for (const [k, v] of pairs as [unknown, unknown][]) if (typeof v === 'string') headers[String(k)] = v;
  return secretsOf({ ...(typeof client.apiKey === 'string' ? { apiKey: client.apiKey } : {}), headers });
}
