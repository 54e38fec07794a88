// The options of the OpenAI backends (fetch and SDK), shared by the Chat Completions and Responses wire formats.
import type { Prices } from '../cost.ts';
import type { HttpOptions } from '../http.ts';

export interface OpenAIBackendOptions extends HttpOptions {
  model: string;
  /** Default `https://api.openai.com/v1`; any OpenAI-compatible server (Ollama: `http://127.0.0.1:11434/v1`). */
  baseURL?: string;
  apiKey?: string;
  /** `chat` (Chat Completions, default) or `responses` (the Responses API). */
  api?: 'chat' | 'responses';
  /** Stream the reply (default true): the loop then emits `llm.delta` events as tokens arrive. */
  stream?: boolean;
  temperature?: number;
  maxTokens?: number;
  toolChoice?: 'auto' | 'required' | 'none';
  /** USD per million tokens by model name, for `usage.costUsd`. */
  prices?: Prices;
  /** Extra request-body fields (e.g. `{ reasoning_effort: 'low' }`), merged last. */
  body?: Record<string, unknown>;
}

/** What shapes a Chat Completions request body. */
export type ChatOptions = Pick<OpenAIBackendOptions, 'model' | 'stream' | 'temperature' | 'maxTokens' | 'toolChoice' | 'prices' | 'body'>;
