// OpenAIBackend: Chat Completions over fetch, or with `api: 'responses'` the Responses API (loaded only then).
import { post, readJSON, receive } from '../http.ts';
import { redactDeltas, secretsOf } from '../secrets.ts';
import type { GenerateOptions, LLMBackend, LLMRequest, LLMResponse } from '../types.ts';
import { chatBody, parseChatResponse, readChatStream } from './chat.ts';
import type { OpenAIBackendOptions } from './options.ts';

export type { OpenAIBackendOptions } from './options.ts';

type Json = Record<string, unknown>;

/** OpenAI Chat Completions (and compatible servers) over fetch. */
export class OpenAIBackend implements LLMBackend {
  readonly model: string;
  readonly #opts: OpenAIBackendOptions;
  readonly #base: string;
  readonly #secrets: readonly string[];

  constructor(opts: OpenAIBackendOptions) {
    if (!opts || typeof opts.model !== 'string' || !opts.model) throw new TypeError('OpenAIBackend needs a `model`.');
    this.#opts = opts;
    this.model = opts.model;
    this.#base = (opts.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
    this.#secrets = secretsOf(opts);
  }

  async generate(request: LLMRequest, { signal, onDelta }: GenerateOptions): Promise<LLMResponse> {
    if (this.#opts.api === 'responses') {
      const { responsesGenerate } = await import('./responses.ts');
      return responsesGenerate(this.#opts, this.#base, this.#headers(), request, signal, redactDeltas(onDelta, this.#secrets));
    }
    const stream = this.#opts.stream ?? true;
    const body = chatBody(this.#opts, request, stream, this.#base.startsWith('https://api.openai.com'));
    const open = await post({ provider: 'openai', url: `${this.#base}/chat/completions`, headers: this.#headers(), body, signal, secrets: this.#secrets }, this.#opts);
    const deltas = redactDeltas(onDelta, this.#secrets);
    return receive(open, async (res) => (stream ? readChatStream(res, open.touch, deltas) : parseChatResponse(await readJSON(res, 'openai'))), this.model, this.#opts.prices);
  }

  #headers(): Record<string, string> {
    return { ...(this.#opts.apiKey ? { authorization: `Bearer ${this.#opts.apiKey}` } : {}), ...this.#opts.headers };
  }

  /** Never print the key. */
  toJSON(): Json {
    return { backend: 'openai', model: this.model, baseURL: this.#base, api: this.#opts.api ?? 'chat' };
  }
}

