// The hook runner: one method per hook slot, each holding that slot's composition rule (README's
// "Hooks" table) in one place. Built once per run. A slot no hook uses costs nothing, and hooks
// that answer synchronously cost no promise: each slot is a generator that yields what it waits
// on, and `drive` awaits only what is a promise.
import { isDecision, type Allow, type Decision, type Deny, type Pause, type Respond, type Rewrite, type Stop } from '../../hooks/decisions.ts';
import type { Checkpoint, LoopOutcome, ToolError } from '../../shapes.ts';
import type { HookSlot } from '../../trace/events.ts';
import { errorMessage } from '../../errors.ts';
import { safeJSON } from '../../util/json.ts';
import type { Step } from '../step.ts';
import type { Hook, HookContext, ToolCall, ToolResult } from '../types.ts';
import type { Emitter, EventInit } from './events.ts';
import { callHook, HookFailure, hookErrorEvent, type NamedHook } from './hook-call.ts';
import { toCheckpoint, type RunEnv, type RunState, type SnapshotExtra } from './state.ts';

type Awaitable<T> = T | Promise<T>;

/** A preDispatch hook failed, or answered with something that is not a decision: the call does not run. */
export interface Refusal { readonly kind: 'refused'; readonly error: ToolError }
export type DispatchAnswer = Allow | Deny | Rewrite | Respond | Stop | Pause | Refusal;

export interface HookRunner {
  /** All, in order. */
  preLoop(): Awaitable<void>;
  /** All, in order: texts (and `inject`s) are collected for the prompt; a message list replaces the conversation, and later hooks see it. */
  prePrompt(): Awaitable<string[]>;
  /** All, in order: each result replaces the conversation (and is traced). True when one did. */
  compact(reason: 'threshold' | 'emergency'): Awaitable<boolean>;
  /** The first decision wins. Fails closed: a hook that throws or answers nonsense refuses the call. */
  preDispatch(call: ToolCall): Awaitable<DispatchAnswer | undefined>;
  /**
   * All, in order: texts (and `inject`s) become notes for the next prompt; `respond` replaces the
   * result through `respond` (later hooks see the new one); the first `stop` wins, and is returned.
   */
  postDispatch(call: ToolCall, result: ToolResult, respond: (data: unknown) => ToolResult): Awaitable<string | undefined>;
  /** The first rejection (a string or `deny`) wins, and is returned; `allow` ends the asking. A throwing hook never keeps an agent from stopping. */
  checkDone(call: ToolCall): Awaitable<string | undefined>;
  /** The first `true` or `stop()` ends the run; its reason is returned. */
  shouldStop(step: Step): Awaitable<string | undefined>;
  /** All, in order, with one fresh checkpoint; awaited, so a store's write is done before the loop goes on. */
  save(status?: Checkpoint['status'], extra?: SnapshotExtra): Awaitable<void>;
  /** All, in order. A failure is recorded, never rethrown: the run is over. */
  onLoopEnd(outcome: LoopOutcome): Awaitable<void>;
}

/** A slot's work: it yields each value it waits on (a hook's answer, an event being delivered) and gets it back settled. */
type Work<T> = Generator<unknown, T, unknown>;

/** Runs a slot's work, synchronously until it yields a promise. */
function drive<T>(work: Work<T>, input?: unknown): Awaitable<T> {
  for (;;) {
    const r = work.next(input);
    if (r.done) return r.value;
    if (r.value instanceof Promise) return r.value.then((v: unknown) => drive(work, v));
    input = r.value;
  }
}

/** What a hook method gave back: its answer, or the failure it threw. */
type Slot = Exclude<keyof Hook, 'name' | 'runId'>;
type Answer<K extends Slot> = Awaited<ReturnType<NonNullable<Hook[K]>>> | HookFailure;

/** What the runner needs of a run (a `Run` is one). */
export interface HookedRun {
  readonly env: RunEnv;
  readonly state: RunState;
  readonly events: Emitter;
  /** The step being decided. */
  readonly step: number;
}

export function hookRunner(run: HookedRun, hooks: readonly NamedHook[]): HookRunner {
  const { env, state, events } = run;
  const { config } = env;
  const ctx = hookContext(run);
  const having = (m: keyof Hook) => hooks.filter((h) => typeof h.hook[m] === 'function');
  const preLoops = having('preLoop'), prePrompts = having('prePrompt'), compacters = having('compact'), preDispatches = having('preDispatch');
  const postDispatches = having('postDispatch'), doneChecks = having('checkDone'), stopChecks = having('shouldStop'), savers = having('onCheckpoint'), enders = having('onLoopEnd');

  /** Records a failing hook (an `error` event), or rethrows it when the config says so. */
  const failed = (h: NamedHook, slot: HookSlot, error: unknown): void | Promise<void> => {
    if (config.hookErrors === 'throw') throw error;
    return events.emit(hookErrorEvent(h.name, slot, error, ctx.step));
  };
  const decided = (h: NamedHook, slot: HookSlot, decision: Decision, callId?: string) =>
    events.on ? events.emit({ type: 'decision', step: ctx.step, hook: h.name, slot, decision, ...(callId ? { callId } : {}) }) : undefined;
  const invalid = (slot: HookSlot, v: unknown, expected: string) => new TypeError(`${slot} returned ${safeJSON(v).slice(0, 80)}; expected ${expected}`);

  /** Every hook of a slot whose answers mean nothing, in order: failures are recorded. */
  function* all(list: readonly NamedHook[], slot: HookSlot, call: (hook: Hook) => unknown): Work<void> {
    for (const h of list) {
      const v = yield callHook(() => call(h.hook));
      if (v instanceof HookFailure) yield failed(h, slot, v.error);
    }
  }

  return {
    preLoop: () => (preLoops.length === 0 ? undefined : drive(all(preLoops, 'preLoop', (h) => h.preLoop!(ctx)))),

    prePrompt() {
      const texts: string[] = [];
      if (prePrompts.length === 0) return texts;
      return drive((function* () {
        for (const h of prePrompts) {
          const v = (yield callHook(() => h.hook.prePrompt!(ctx, state.messages))) as Answer<'prePrompt'>;
          if (v instanceof HookFailure) yield failed(h, 'prePrompt', v.error);
          else if (typeof v === 'string') texts.push(v);
          else if (Array.isArray(v)) state.messages = [...v];
          else if (isDecision(v) && v.kind === 'inject') { texts.push(v.text); yield decided(h, 'prePrompt', v); }
          else if (v != null) yield failed(h, 'prePrompt', invalid('prePrompt', v, 'text, inject() or a message list'));
        }
        return texts;
      })());
    },

    compact(reason) {
      if (compacters.length === 0) return false;
      return drive((function* () {
        let changed = false;
        for (const h of compacters) {
          const v = (yield callHook(() => h.hook.compact!(ctx, state.messages, reason))) as Answer<'compact'>;
          if (v instanceof HookFailure) yield failed(h, 'compact', v.error);
          else if (v && Array.isArray(v.messages)) {
            state.messages = [...v.messages];
            changed = true;
            const { strategy, tokensBefore, tokensAfter, removedMessages } = v;
            yield events.emit({ type: 'compact', step: ctx.step, strategy, reason, tokensBefore, tokensAfter, removedMessages });
          }
        }
        return changed;
      })());
    },

    preDispatch(call) {
      if (preDispatches.length === 0) return undefined;
      return drive((function* (): Work<DispatchAnswer | undefined> {
        const refuse = (h: NamedHook, why: string): Refusal => ({ kind: 'refused', error: { kind: 'hook_error', message: `The call was not run: hook ${h.name} ${why}.`, retriable: false } });
        for (const h of preDispatches) {
          const v = (yield callHook(() => h.hook.preDispatch!(ctx, call))) as Answer<'preDispatch'>;
          if (v instanceof HookFailure) {
            yield failed(h, 'preDispatch', v.error);
            return refuse(h, `failed (${errorMessage(v.error)})`);
          }
          if (v == null) continue;
          if (!isDecision(v)) {
            yield failed(h, 'preDispatch', invalid('preDispatch', v, 'a decision'));
            return refuse(h, 'returned an invalid decision');
          }
          yield decided(h, 'preDispatch', v, call.id);
          if ((v as Decision).kind !== 'inject') return v; // an inject is not an answer: the next hook is asked
        }
        return undefined;
      })());
    },

    postDispatch(call, result, respond) {
      if (postDispatches.length === 0) return undefined;
      return drive((function* () {
        let stop: string | undefined;
        for (const h of postDispatches) {
          const v = (yield callHook(() => h.hook.postDispatch!(ctx, call, result))) as Answer<'postDispatch'>;
          if (v instanceof HookFailure) yield failed(h, 'postDispatch', v.error);
          else if (typeof v === 'string') state.notes.push(v);
          else if (isDecision(v)) {
            yield decided(h, 'postDispatch', v, call.id);
            if (v.kind === 'inject') state.notes.push(v.text);
            else if (v.kind === 'respond') result = respond(v.result);
            else if (v.kind === 'stop') stop ??= v.reason;
          }
        }
        return stop;
      })());
    },

    checkDone(call) {
      if (doneChecks.length === 0) return undefined;
      return drive((function* () {
        for (const h of doneChecks) {
          const v = (yield callHook(() => h.hook.checkDone!(ctx, call))) as Answer<'checkDone'>;
          if (v instanceof HookFailure) yield failed(h, 'checkDone', v.error);
          else if (typeof v === 'string') {
            yield decided(h, 'checkDone', { kind: 'deny', reason: v, retry: true }, call.id);
            return v;
          } else if (isDecision(v) && v.kind === 'deny') {
            yield decided(h, 'checkDone', v, call.id);
            return v.reason;
          } else if (isDecision(v) && v.kind === 'allow') return undefined;
        }
        return undefined;
      })());
    },

    shouldStop(step) {
      if (stopChecks.length === 0) return undefined;
      return drive((function* () {
        for (const h of stopChecks) {
          const v = (yield callHook(() => h.hook.shouldStop!(ctx, step))) as Answer<'shouldStop'>;
          if (v instanceof HookFailure) yield failed(h, 'shouldStop', v.error);
          else if (v === true) return 'hook_stop';
          else if (isDecision(v) && v.kind === 'stop') {
            yield decided(h, 'shouldStop', v);
            return v.reason;
          }
        }
        return undefined;
      })());
    },

    save(status = 'running', extra) {
      if (savers.length === 0) return undefined;
      const checkpoint = toCheckpoint(env, state, status, extra);
      return drive(all(savers, 'onCheckpoint', (h) => h.onCheckpoint!(checkpoint, ctx)));
    },

    onLoopEnd(outcome) {
      if (enders.length === 0) return undefined;
      return drive((function* () {
        for (const h of enders) {
          const v = (yield callHook(() => h.hook.onLoopEnd!(ctx, outcome))) as Answer<'onLoopEnd'>;
          if (v instanceof HookFailure && config.hookErrors !== 'throw') yield events.emit(hookErrorEvent(h.name, 'onLoopEnd', v.error, ctx.stepCount));
        }
      })());
    },
  };
}

/** What hooks see: a live view of the run. */
function hookContext(run: HookedRun): HookContext {
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
