// The hook runner: one function per hook slot, each holding that slot's composition rule (README's
// "Hooks" table) in one place. Loaded and built only for runs that have hooks. A slot no hook
// uses costs nothing, and hooks that answer synchronously cost no promise: each slot is a
// generator that yields what it waits on, and `drive` awaits only what is a promise.
import { isDecision, type Allow, type Decision, type Deny, type Pause, type Respond, type Rewrite, type Stop } from '../../hooks/decisions.ts';
import type { Checkpoint, LoopOutcome, Message, ToolError } from '../../shapes.ts';
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
  preLoop(): Awaitable<void>;
  prePrompt(): Awaitable<readonly string[]>;
  compact(reason: 'threshold' | 'emergency'): Awaitable<boolean>;
  preDispatch(call: ToolCall): Awaitable<DispatchAnswer | undefined>;
  postDispatch(call: ToolCall, result: ToolResult, respond: (data: unknown) => ToolResult): Awaitable<string | undefined>;
  checkDone(call: ToolCall): Awaitable<string | undefined>;
  shouldStop(step: Step): Awaitable<string | undefined>;
  save(status?: Checkpoint['status'], extra?: SnapshotExtra): Awaitable<void>;
  onLoopEnd(outcome: LoopOutcome): Awaitable<void>;
}

/** What the runner needs of a run (a `Run` is one). */
export interface HookedRun {
  readonly env: RunEnv;
  readonly state: RunState;
  readonly events: Emitter;
  /** The step being decided. */
  readonly step: number;
}

export function hookRunner(run: HookedRun, hooks: readonly NamedHook[]): HookRunner {
  const s = slots(run, hooks);
  /** A slot's rule, run only when some hook has that slot; else `none`. */
  const rule = <A extends unknown[], T>(slot: Slot, none: T, work: (s: Slots, ...args: A) => Work<T>) =>
    (...args: A): Awaitable<T> => (s.hooks(slot).length === 0 ? none : drive(work(s, ...args)));
  return {
    preLoop: rule('preLoop', undefined, (s) => all(s, 'preLoop', (h) => h.preLoop!(s.ctx))),
    prePrompt: rule('prePrompt', NO_TEXT, prePrompt),
    compact: rule('compact', false, compact),
    preDispatch: rule('preDispatch', undefined, preDispatch),
    postDispatch: rule('postDispatch', undefined, postDispatch),
    checkDone: rule('checkDone', undefined, checkDone),
    shouldStop: rule('shouldStop', undefined, shouldStop),
    save: rule('onCheckpoint', undefined, (s, status: Checkpoint['status'] = 'running', extra?: SnapshotExtra) => {
      const checkpoint = toCheckpoint(s.env, s.state, status, extra);
      return all(s, 'onCheckpoint', (h) => h.onCheckpoint!(checkpoint, s.ctx));
    }),
    onLoopEnd: rule('onLoopEnd', undefined, onLoopEnd),
  };
}

// ── the slots' rules ──

/** All, in order: texts (and `inject`s) go into the next prompt; a message list replaces the conversation, and later hooks see it. */
function* prePrompt(s: Slots): Work<readonly string[]> {
  const texts: string[] = [];
  for (const h of s.hooks('prePrompt')) {
    const v = (yield callHook(() => h.hook.prePrompt!(s.ctx, s.state.messages))) as Answer<'prePrompt'>;
    if (v instanceof HookFailure) yield s.failed(h, 'prePrompt', v.error);
    else if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) s.state.messages = [...(v as readonly Message[])];
    else if (isDecision(v) && v.kind === 'inject') { texts.push(v.text); yield s.decided(h, 'prePrompt', v); }
    else if (v != null) yield s.failed(h, 'prePrompt', invalid('prePrompt', v, 'text, inject() or a message list'));
  }
  return texts;
}

/** All, in order: each result replaces the conversation (and is traced). True when one did. */
function* compact(s: Slots, reason: 'threshold' | 'emergency'): Work<boolean> {
  let changed = false;
  for (const h of s.hooks('compact')) {
    const v = (yield callHook(() => h.hook.compact!(s.ctx, s.state.messages, reason))) as Answer<'compact'>;
    if (v instanceof HookFailure) yield s.failed(h, 'compact', v.error);
    else if (v && Array.isArray(v.messages)) {
      // The same list back: a compaction that changed nothing (its failed stages are still traced).
      if (v.messages !== s.state.messages) {
        s.state.messages = [...v.messages];
        changed = true;
      }
      const { strategy, tokensBefore, tokensAfter, removedMessages, failures } = v;
      yield s.events.emit({ type: 'compact', step: s.ctx.step, strategy, reason, tokensBefore, tokensAfter, removedMessages, ...(failures ? { failures } : {}) });
    }
  }
  return changed;
}

/** The first decision wins. Fails closed: a hook that throws, or answers with what is not a decision, refuses the call. */
function* preDispatch(s: Slots, call: ToolCall): Work<DispatchAnswer | undefined> {
  const refuse = (h: NamedHook, why: string): Refusal => ({ kind: 'refused', error: { kind: 'hook_error', message: `The call was not run: hook ${h.name} ${why}.`, retriable: false } });
  for (const h of s.hooks('preDispatch')) {
    const v = (yield callHook(() => h.hook.preDispatch!(s.ctx, call))) as Answer<'preDispatch'>;
    if (v instanceof HookFailure) {
      yield s.failed(h, 'preDispatch', v.error);
      return refuse(h, `failed (${errorMessage(v.error)})`);
    }
    if (v == null) continue;
    if (!isDecision(v)) {
      yield s.failed(h, 'preDispatch', invalid('preDispatch', v, 'a decision'));
      return refuse(h, 'returned an invalid decision');
    }
    yield s.decided(h, 'preDispatch', v, call.id);
    if ((v as Decision).kind !== 'inject') return v; // an inject is not an answer: the next hook is asked
  }
  return undefined;
}

/**
 * All, in order: texts (and `inject`s) become notes for the next prompt; `respond` replaces the
 * result through `respond` (later hooks see the new one); the first `stop` wins, and is returned.
 */
function* postDispatch(s: Slots, call: ToolCall, result: ToolResult, respond: (data: unknown) => ToolResult): Work<string | undefined> {
  let stop: string | undefined;
  for (const h of s.hooks('postDispatch')) {
    const v = (yield callHook(() => h.hook.postDispatch!(s.ctx, call, result))) as Answer<'postDispatch'>;
    if (v instanceof HookFailure) yield s.failed(h, 'postDispatch', v.error);
    else if (typeof v === 'string') s.state.notes.push(v);
    else if (isDecision(v)) {
      yield s.decided(h, 'postDispatch', v, call.id);
      if (v.kind === 'inject') s.state.notes.push(v.text);
      else if (v.kind === 'respond') result = respond(v.result);
      else if (v.kind === 'stop') stop ??= v.reason;
    }
  }
  return stop;
}

/** The first rejection (a string or `deny`) wins, and is returned; `allow` ends the asking. A throwing hook never keeps an agent from stopping. */
function* checkDone(s: Slots, call: ToolCall): Work<string | undefined> {
  for (const h of s.hooks('checkDone')) {
    const v = (yield callHook(() => h.hook.checkDone!(s.ctx, call))) as Answer<'checkDone'>;
    if (v instanceof HookFailure) yield s.failed(h, 'checkDone', v.error);
    else if (typeof v === 'string') {
      yield s.decided(h, 'checkDone', { kind: 'deny', reason: v, retry: true }, call.id);
      return v;
    } else if (isDecision(v) && v.kind === 'deny') {
      yield s.decided(h, 'checkDone', v, call.id);
      return v.reason;
    } else if (isDecision(v) && v.kind === 'allow') return undefined;
  }
  return undefined;
}

/** The first `true` or `stop()` ends the run; its reason is returned. */
function* shouldStop(s: Slots, step: Step): Work<string | undefined> {
  for (const h of s.hooks('shouldStop')) {
    const v = (yield callHook(() => h.hook.shouldStop!(s.ctx, step))) as Answer<'shouldStop'>;
    if (v instanceof HookFailure) yield s.failed(h, 'shouldStop', v.error);
    else if (v === true) return 'hook_stop';
    else if (isDecision(v) && v.kind === 'stop') {
      yield s.decided(h, 'shouldStop', v);
      return v.reason;
    }
  }
  return undefined;
}

/** All, in order. A failure is recorded, never rethrown: the run is over. */
function* onLoopEnd(s: Slots, outcome: LoopOutcome): Work<void> {
  for (const h of s.hooks('onLoopEnd')) {
    const v = (yield callHook(() => h.hook.onLoopEnd!(s.ctx, outcome))) as Answer<'onLoopEnd'>;
    if (v instanceof HookFailure && s.env.config.hookErrors !== 'throw') yield s.events.emit(hookErrorEvent(h.name, 'onLoopEnd', v.error, s.ctx.stepCount));
  }
}

/** All, in order, for slots whose answers mean nothing (preLoop, onCheckpoint): failures are recorded. */
function* all(s: Slots, slot: Slot & HookSlot, call: (hook: Hook) => unknown): Work<void> {
  for (const h of s.hooks(slot)) {
    const v = yield callHook(() => call(h.hook));
    if (v instanceof HookFailure) yield s.failed(h, slot, v.error);
  }
}

// ── what the rules share ──

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

type Slot = Exclude<keyof Hook, 'name' | 'runId'>;
/** What a hook method gave back: its answer, or the failure it threw. */
type Answer<K extends Slot> = Awaited<ReturnType<NonNullable<Hook[K]>>> | HookFailure;

const NO_TEXT: readonly string[] = Object.freeze([]);

interface Slots {
  readonly env: RunEnv;
  readonly state: RunState;
  readonly events: Emitter;
  readonly ctx: HookContext;
  /** The hooks that have a slot, in order. */
  hooks(slot: Slot): readonly NamedHook[];
  /** Records a failing hook (an `error` event), or rethrows it when the config says so. */
  failed(h: NamedHook, slot: HookSlot, error: unknown): void | Promise<void>;
  /** Traces a hook's decision. */
  decided(h: NamedHook, slot: HookSlot, decision: Decision, callId?: string): void | Promise<void>;
}

function slots(run: HookedRun, hooks: readonly NamedHook[]): Slots {
  const { env, state, events } = run;
  const ctx = hookContext(run);
  const bySlot = new Map<Slot, readonly NamedHook[]>();
  return {
    env, state, events, ctx,
    hooks(slot) {
      let list = bySlot.get(slot);
      if (!list) bySlot.set(slot, (list = hooks.filter((h) => typeof h.hook[slot] === 'function')));
      return list;
    },
    failed(h, slot, error) {
      if (env.config.hookErrors === 'throw') throw error;
      return events.emit(hookErrorEvent(h.name, slot, error, ctx.step));
    },
    decided: (h, slot, decision, callId) =>
      events.on ? events.emit({ type: 'decision', step: ctx.step, hook: h.name, slot, decision, ...(callId ? { callId } : {}) }) : undefined,
  };
}

const invalid = (slot: HookSlot, v: unknown, expected: string) => new TypeError(`${slot} returned ${safeJSON(v).slice(0, 80)}; expected ${expected}`);

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
