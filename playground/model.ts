// The model settings both demos share: scripted (no key), an OpenAI-compatible endpoint or
// Anthropic. The endpoint is kept in localStorage; the key only in this tab's sessionStorage, so
// it never enters a trace, a checkpoint or another tab.
import { AnthropicBackend, OpenAIBackend, type LLMBackend } from 'looplet';

export interface Endpoint { kind: 'scripted' | 'openai' | 'anthropic'; baseURL: string; model: string }

const ENDPOINT = 'looplet-playground:endpoint';
export const KEY = 'looplet-playground:key';

export function loadEndpoint(): Endpoint {
  return (JSON.parse(localStorage.getItem(ENDPOINT) ?? 'null') as Endpoint | null) ?? { kind: 'scripted', baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1' };
}

export function saveEndpoint(ep: Endpoint): void {
  localStorage.setItem(ENDPOINT, JSON.stringify(ep));
}

/** The backend for a configured endpoint (the scripted model is each demo's own). */
export function endpointBackend(ep: Endpoint): LLMBackend {
  const apiKey = sessionStorage.getItem(KEY) ?? undefined;
  if (ep.kind === 'anthropic') return new AnthropicBackend({ baseURL: ep.baseURL || undefined, apiKey, model: ep.model, dangerouslyAllowBrowser: true });
  return new OpenAIBackend({ baseURL: ep.baseURL, apiKey, model: ep.model });
}
