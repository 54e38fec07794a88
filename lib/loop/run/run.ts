// A run: its environment and state, with the hook runner and event emitter built for it. The
// phases (prompt, plan, execute, record) are functions over a Run.
import type { OutcomeError } from '../../shapes.ts';
import type { HookContext } from '../types.ts';
import { createEmitter, type Emitter, type EventInit } from './events.ts';
import type { NamedHook } from './hook-call.ts';
import { hookRunner, type HookRunner } from './hooks.ts';
import { toCheckpoint, type RunEnv, type RunState } from './state.ts';

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

export function assemble(env: RunEnv, state: RunState, hooks: readonly NamedHook[]): Run {
  const run = { env, state, step: state.stepCount + 1 } as { -readonly [K in keyof Run]: Run[K] };
  run.events = createEmitter(hooks.filter((h) => typeof h.hook.onEvent === 'function'), env.runId, env.config.hookErrors, () => run.step);
  run.hooks = hookRunner(hooks, hookContext(run), state, run.events, env.config, (status, extra) => toCheckpoint(env, state, status, extra));
  return run;
}

/** What hooks see: a live view of the run. */
export function hookContext(run: Pick<Run, 'env' | 'state' | 'events' | 'step'>): HookContext {
  const { env, state } = run;
  return {
    runId: env.runId, task: env.task, config: env.config, system: env.system, tools: env.schemas, signal: env.signal,
    get step() { return run.step; },
    get stepCount() { return state.stepCount; },
    get state() { return state.userState; },
    get messages() { return state.messages; },
    checkpoint: () => toCheckpoint(env, state, 'running'),
    tool: (name) => env.registry.get(name),
    emit: async (type, fields) => { if (run.events.on) await run.events.emit({ type, step: run.step, ...fields } as EventInit); },
  };
}
