import { LLMError } from '../errors.ts';
import type { GenerateOptions, LLMBackend, LLMRequest, LLMResponse } from './types.ts';

/** A scripted reply: a response, plain text (for JSON-in-text mode), or a function of the request. */
export type MockResponse = LLMResponse | string | ((request: LLMRequest) => LLMResponse | string | Promise<LLMResponse | string>);

/** A scripted backend for tests and demos. It keeps every request it received in `.requests`. */
export class MockLLMBackend implements LLMBackend {
  readonly requests: LLMRequest[] = [];
  readonly #responses: readonly MockResponse[];

  constructor(responses: readonly MockResponse[]) {
    this.#responses = [...responses];
  }

  /** Scripted replies not used yet. */
  get remaining(): number {
    return this.#responses.length - this.requests.length;
  }

  async generate(request: LLMRequest, { signal }: GenerateOptions): Promise<LLMResponse> {
    signal?.throwIfAborted();
    // The loop keeps appending to its conversation: keep what the model saw at this moment.
    const seen: LLMRequest = { ...request, messages: request.messages.slice() };
    this.requests.push(seen);
    const n = this.requests.length;
    const next = this.#responses[n - 1];
    if (next === undefined) {
      throw new LLMError('bad_request', `MockLLMBackend: no scripted response left for request #${n} (the script has ${this.#responses.length}).`);
    }
    const out = typeof next === 'function' ? await next(seen) : next;
    signal?.throwIfAborted();
    return typeof out === 'string' ? { text: out } : copy(out);
  }
}

/** A copy, so a run cannot change the script; a reply too deep (or odd) to clone is handed over as it is. */
function copy(r: LLMResponse): LLMResponse {
  try {
    return structuredClone(r);
  } catch {
    return { ...r };
  }
}
