// What a caller got wrong in composableLoop's options, in words: loaded only when one is wrong,
// so a correct run does not ship the messages.
import { LoopletError } from '../../errors.ts';

const SAYS = {
  llm: 'composableLoop: `llm` must have a generate(request, { signal }) method.',
  decisions: 'composableLoop: `decisions` answer the pending calls of a checkpoint: pass it as `resume`.',
  tools: 'composableLoop: `tools` must be a ToolRegistry or an array of tool specs.',
  task: 'composableLoop: `task` must be a non-empty string or an object with a string `goal`.',
  maxSteps: 'config.maxSteps must be a positive integer.',
  maxNoToolCallTurns: 'config.maxNoToolCallTurns must be a positive integer.',
  toolTimeoutMs: 'config.toolTimeoutMs must be a positive number.',
  toolCallMode: "config.toolCallMode must be 'native' or 'json'",
  hook: 'is not an object',
  history: 'composableLoop: `history` must be an array of messages ({ role, content }).',
} as const;

export type Misuse = keyof typeof SAYS;

export function misuse(what: Misuse, detail?: unknown): Error {
  if (what === 'hook') return new TypeError(`hooks[${String(detail)}] ${SAYS.hook}`);
  return new LoopletError(what === 'toolCallMode' ? `${SAYS[what]}, got ${JSON.stringify(detail)}.` : SAYS[what]);
}
