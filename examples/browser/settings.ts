// Which model runs the agent: the scripted one (the default), or an OpenAI-compatible endpoint.
// The endpoint and model name are kept in localStorage; the API key only in this tab's
// sessionStorage — never in localStorage, a checkpoint or a trace (the backend masks it in errors).
import { OpenAIBackend, type LLMBackend } from 'looplet';
import { scriptedModel } from './scripted.ts';

export interface ModelSettings { readonly kind: 'scripted' | 'openai'; readonly baseURL: string; readonly model: string }

const SETTINGS = 'looplet-example:settings';
const KEY = 'looplet-example:api-key';

export const DEFAULT_SETTINGS: ModelSettings = { kind: 'scripted', baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1' };

export function loadSettings(): ModelSettings {
  const saved: unknown = JSON.parse(localStorage.getItem(SETTINGS) ?? 'null');
  return saved && typeof saved === 'object' ? { ...DEFAULT_SETTINGS, ...(saved as Partial<ModelSettings>) } : DEFAULT_SETTINGS;
}

export function saveSettings(s: ModelSettings): void {
  localStorage.setItem(SETTINGS, JSON.stringify(s));
}

export const apiKey = (): string => sessionStorage.getItem(KEY) ?? '';

export function setApiKey(key: string): void {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

export function makeModel(s: ModelSettings): LLMBackend {
  if (s.kind === 'scripted') return scriptedModel();
  // OpenAIBackend is plain fetch: it runs in the tab as it is (the endpoint must allow CORS).
  return new OpenAIBackend({ baseURL: s.baseURL, model: s.model, apiKey: apiKey() || undefined });
}
