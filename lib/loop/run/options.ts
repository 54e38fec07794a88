// What a caller passes to composableLoop, checked and completed: a bad option is a LoopletError
// before the run starts.
import { LoopletError } from '../../errors.ts';
import type { LoopConfig, ResolvedConfig, Task } from '../../shapes.ts';
import { AUTO_DONE_DESCRIPTION, DONE, doneTool } from '../../tools/done.ts';
import { ToolRegistry } from '../../tools/registry.ts';
import { DEFAULT_SYSTEM } from '../messages.ts';
import type { Hook, LoopOptions } from '../types.ts';

export function resolveConfig(c: LoopConfig = {}): ResolvedConfig {
  const need = (ok: boolean, what: string) => { if (!ok) throw new LoopletError(`config.${what}.`); };
  const maxSteps = c.maxSteps ?? 25;
  const maxNoToolCallTurns = c.maxNoToolCallTurns ?? 3;
  const mode = c.toolCallMode ?? 'native';
  need(Number.isInteger(maxSteps) && maxSteps >= 1, 'maxSteps must be a positive integer');
  need(Number.isInteger(maxNoToolCallTurns) && maxNoToolCallTurns >= 1, 'maxNoToolCallTurns must be a positive integer');
  need(c.toolTimeoutMs === undefined || c.toolTimeoutMs > 0, 'toolTimeoutMs must be a positive number');
  need(mode === 'native' || mode === 'json', `toolCallMode must be 'native' or 'json', got ${JSON.stringify(mode)}`);
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
export function withDone(tools: LoopOptions['tools']): ToolRegistry {
  let reg: ToolRegistry;
  if (tools instanceof ToolRegistry) {
    if (tools.has(DONE)) return tools;
    reg = tools.clone();
  } else if (Array.isArray(tools)) {
    reg = new ToolRegistry();
    for (const t of tools) reg.register(t);
  } else {
    throw new LoopletError('composableLoop: `tools` must be a ToolRegistry or an array of tool specs.');
  }
  if (!reg.has(DONE)) reg.register(doneTool(AUTO_DONE_DESCRIPTION));
  return reg;
}

export function checkTask(task: Task | undefined): Task {
  if (typeof task === 'string' && task.length > 0) return task;
  if (task && typeof task === 'object' && typeof task.goal === 'string') return task;
  throw new LoopletError('composableLoop: `task` must be a non-empty string or an object with a string `goal`.');
}

export interface NamedHook {
  readonly hook: Hook;
  readonly name: string;
}

/** Each hook with the name traces show: its `name`, its class's, or its position. */
export function nameHooks(hooks: readonly Hook[]): NamedHook[] {
  return hooks.map((hook, i) => {
    if (!hook || typeof hook !== 'object') throw new TypeError(`hooks[${i}] is not an object`);
    const ctor = (hook as { constructor?: { name?: string } }).constructor?.name;
    const name = hook.name ?? (ctor && ctor !== 'Object' ? ctor : `hook[${i}]`);
    return { hook, name };
  });
}
