// What a backend that broke the LLMBackend contract got wrong, in words: loaded only when one does.
import { LLMError } from '../errors.ts';
import { safeJSON } from '../util/json.ts';

export function brokenReply(response: unknown): LLMError {
  const broken = (what: string) => new LLMError('malformed', `The backend broke the LLMBackend contract: ${what}. generate() must resolve to { text?, toolCalls?: [{ id?, name, arguments }], usage? }.`);
  if (!response || typeof response !== 'object') return broken(`it returned ${safeJSON(response).slice(0, 80)} instead of a response object`);
  const calls: unknown = (response as { toolCalls?: unknown }).toolCalls;
  if (!Array.isArray(calls)) return broken(`toolCalls is ${safeJSON(calls).slice(0, 80)}, not an array`);
  const bad = calls.findIndex((c) => !c || typeof c !== "object" || Array.isArray(c));
  return broken(`toolCalls[${bad}] is ${safeJSON(calls[bad]).slice(0, 80)}, not a tool call object`);
}


