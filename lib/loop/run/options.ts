// What a caller passes to composableLoop, checked and completed: a bad option is a LoopletError
// before the run starts (its wording in misuse.ts, loaded only then).
import type { LoopConfig, Message, ResolvedConfig, Task } from '../../shapes.ts';
import { AUTO_DONE_DESCRIPTION, DONE, doneTool } from '../../tools/done.ts';
import { ToolRegistry } from '../../tools/registry.ts';
import { DEFAULT_SYSTEM } from '../messages.ts';
import type { LoopOptions } from '../types.ts';
import type { Misuse } from './misuse.ts';

/** The config completed, or the name of the first option that is wrong. */
export function resolveConfig(c: LoopConfig = {}): ResolvedConfig | Misuse {
  const maxSteps = c.maxSteps ?? 25;
  const maxNoToolCallTurns = c.maxNoToolCallTurns ?? 3;
  const mode = c.toolCallMode ?? 'native';
  const wrong: Misuse | undefined = !(Number.isInteger(maxSteps) && maxSteps >= 1) ? 'maxSteps'
    : !(Number.isInteger(maxNoToolCallTurns) && maxNoToolCallTurns >= 1) ? 'maxNoToolCallTurns'
      : !(c.toolTimeoutMs === undefined || c.toolTimeoutMs > 0) ? 'toolTimeoutMs'
        : mode !== 'native' && mode !== 'json' ? 'toolCallMode' : undefined;
  if (wrong) return wrong;
  return Object.freeze({
    maxSteps,
    system: c.system ?? DEFAULT_SYSTEM,
    toolCallMode: mode,
    parallelToolCalls: c.parallelToolCalls ?? true,
    maxNoToolCallTurns,
    hookErrors: c.hookErrors ?? 'record',
    ...(c.toolTimeoutMs !== undefined ? { toolTimeoutMs: c.toolTimeoutMs } : {}),
  });
}

/** The run's tools: the user's, plus `done` when they did not register one. The user's registry is not changed. */
export function withDone(tools: LoopOptions['tools']): ToolRegistry | undefined {
  let reg: ToolRegistry;
  if (tools instanceof ToolRegistry) {
    if (tools.has(DONE)) return tools;
    reg = tools.clone();
  } else if (Array.isArray(tools)) {
    reg = new ToolRegistry();
    for (const t of tools) reg.register(t);
  } else {
    return undefined;
  }
  if (!reg.has(DONE)) reg.register(doneTool(AUTO_DONE_DESCRIPTION));
  return reg;
}

export const isTask = (task: Task | undefined): task is Task => (typeof task === 'string' && task.length > 0) || (!!task && typeof task === 'object' && typeof task.goal === 'string');

/** Messages to start from: an array of `{ role, content }` (a conversation's earlier turns). */
export const isHistory = (h: unknown): h is readonly Message[] => Array.isArray(h) && h.every((m: Message) => !!m && typeof m.role === 'string' && typeof m.content === 'string');
