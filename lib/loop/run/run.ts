// A run: its environment and state, with the hook runner and event emitter built for it. The
// phases (prompt, plan, execute, record) are functions over a Run. A run without hooks loads
// neither: slots it has no hook for cost nothing, and so does a trace no one reads.
import type { OutcomeError } from '../../shapes.ts';
import type { Emitter } from './events.ts';
import type { NamedHook } from './hook-call.ts';
import type { HookRunner } from './hooks.ts';
import type { RunEnv, RunState } from './state.ts';

export interface Run {
  readonly env: RunEnv;
  readonly state: RunState;
  readonly hooks: HookRunner;
  readonly events: Emitter;
  /** The step being decided, or the next one while prompting. */
  step: number;
  /** The model call failed, or the model stopped calling tools: the run ends in error. */
  failure?: { readonly reason: string; readonly error: OutcomeError };
}

/** The emitter of a run nobody listens to. */
const SILENT: Emitter = { on: false, emit: () => undefined, delta: () => undefined, prompt: () => undefined, forward: () => undefined };

/** The hook runner of a run without hooks: every slot gives its default. */
const NO_HOOKS: HookRunner = {
  preLoop: () => undefined, prePrompt: () => [], compact: () => false, preDispatch: () => undefined, postDispatch: () => undefined,
  checkDone: () => undefined, shouldStop: () => undefined, save: () => undefined, onLoopEnd: () => undefined,
};

export async function assemble(env: RunEnv, state: RunState, hooks: readonly NamedHook[]): Promise<Run> {
  const run = { env, state, step: state.stepCount + 1 } as { -readonly [K in keyof Run]: Run[K] };
  const listeners = hooks.filter((h) => typeof h.hook.onEvent === 'function');
  // The trace machinery loads only for runs that someone listens to.
  run.events = listeners.length === 0 ? SILENT : (await import('./events.ts')).createEmitter(listeners, env.runId, env.config.hookErrors, () => run.step, env.tags);
  // Like the trace machinery, the hook runner loads only for runs that have hooks.
  run.hooks = hooks.length === 0 ? NO_HOOKS : (await import('./hooks.ts')).hookRunner(run, hooks);
  return run;
}
