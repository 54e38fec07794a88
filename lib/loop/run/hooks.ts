// The hook runner: one method per hook slot, each holding that slot's composition rule (README's
// "Hooks" table) in one place. Built once per run; a slot no hook uses costs nothing, and hooks
// that answer synchronously are run without a promise.
import { isDecision, type Allow, type Decision, type Deny, type Pause, type Respond, type Rewrite, type Stop } from '../../hooks/decisions.ts';
import type { Checkpoint, LoopOutcome, ResolvedConfig, ToolError } from '../../shapes.ts';
import type { HookSlot } from '../../trace/events.ts';
import { errorMessage } from '../../errors.ts';
import { safeJSON } from '../../util/json.ts';
import { isThenable } from '../../util/thenable.ts';
import type { Step } from '../step.ts';
import type { Hook, HookContext, ToolCall, ToolResult } from '../types.ts';
import type { Emitter } from './events.ts';
import { callHook, HookFailure, type NamedHook } from './hook-call.ts';
import type { RunState, SnapshotExtra } from './state.ts';

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

const STOP = Symbol('stop');

/**
 * Calls `call` on each hook in order and hands each answer (or its HookFailure) to `visit`, which
 * returns STOP to end the walk. Synchronous until a hook or a visit returns a promise.
 */
function walk<R>(hooks: readonly NamedHook[], call: (h: NamedHook) => R, visit: (h: NamedHook, v: Awaited<R> | HookFailure) => unknown, from = 0): void | Promise<void> {
  for (let i = from; i < hooks.length; i++) {
    const h = hooks[i]!;
    const next = (s: unknown) => (s === STOP ? undefined : walk(hooks, call, visit, i + 1));
    const r = callHook(() => call(h));
    if (r instanceof Promise) return r.then((v) => visit(h, v)).then(next);
    const s = visit(h, r);
    if (isThenable(s)) return Promise.resolve(s).then(next);
    if (s === STOP) return;
  }
}

/** The value `out()` gives once `done` settles; no promise when the walk was synchronous. */
const then = <T>(done: void | Promise<void>, out: () => T): Awaitable<T> => (done ? done.then(out) : out());

export function hookRunner(hooks: readonly NamedHook[], ctx: HookContext, state: RunState, events: Emitter, config: ResolvedConfig, snapshot: (status: Checkpoint['status'], extra?: SnapshotExtra) => Checkpoint): HookRunner {
  const having = (m: keyof Hook) => hooks.filter((h) => typeof h.hook[m] === 'function');
  const preLoops = having('preLoop'), prePrompts = having('prePrompt'), compacters = having('compact'), preDispatches = having('preDispatch');
  const postDispatches = having('postDispatch'), doneChecks = having('checkDone'), stopChecks = having('shouldStop'), savers = having('onCheckpoint'), enders = having('onLoopEnd');

  /** Records a failing hook (an `error` event), or rethrows it when the config says so. */
  const failed = (h: NamedHook, slot: HookSlot, error: unknown): void | Promise<void> => {
    if (config.hookErrors === 'throw') throw error;
    return events.emit(events.hookError(h.name, slot, error));
  };
  const decided = (h: NamedHook, slot: HookSlot, decision: Decision, callId?: string) =>
    events.on ? events.emit({ type: 'decision', step: ctx.step, hook: h.name, slot, decision, ...(callId ? { callId } : {}) }) : undefined;
  const invalid = (slot: HookSlot, v: unknown, expected: string) => new TypeError(`${slot} returned ${safeJSON(v).slice(0, 80)}; expected ${expected}`);

  return {
    preLoop: () => walk(preLoops, (h) => h.hook.preLoop!(ctx), (h, v) => (v instanceof HookFailure ? failed(h, 'preLoop', v.error) : undefined)),

    prePrompt() {
      const texts: string[] = [];
      if (prePrompts.length === 0) return texts;
      return then(walk(prePrompts, (h) => h.hook.prePrompt!(ctx, state.messages), (h, v) => {
        if (v instanceof HookFailure) return failed(h, 'prePrompt', v.error);
        if (v == null) return;
        if (typeof v === 'string') return void texts.push(v);
        if (Array.isArray(v)) return void (state.messages = [...(v as readonly typeof state.messages[number][])]);
        if (isDecision(v) && v.kind === 'inject') { texts.push(v.text); return decided(h, 'prePrompt', v); }
        return failed(h, 'prePrompt', invalid('prePrompt', v, 'text, inject() or a message list'));
      }), () => texts);
    },

    compact(reason) {
      let changed = false;
      if (compacters.length === 0) return changed;
      return then(walk(compacters, (h) => h.hook.compact!(ctx, state.messages, reason), (h, v) => {
        if (v instanceof HookFailure) return failed(h, 'compact', v.error);
        if (!v || !Array.isArray(v.messages)) return;
        state.messages = [...v.messages];
        changed = true;
        const { strategy, tokensBefore, tokensAfter, removedMessages } = v;
        return events.emit({ type: 'compact', step: ctx.step, strategy, reason, tokensBefore, tokensAfter, removedMessages });
      }), () => changed);
    },

    preDispatch(call) {
      let answer: DispatchAnswer | undefined;
      if (preDispatches.length === 0) return answer;
      const refuse = (h: NamedHook, why: string): typeof STOP => {
        answer = { kind: 'refused', error: { kind: 'hook_error', message: `The call was not run: hook ${h.name} ${why}.`, retriable: false } };
        return STOP;
      };
      return then(walk(preDispatches, (h) => h.hook.preDispatch!(ctx, call), (h, v) => {
        if (v instanceof HookFailure) return then(failed(h, 'preDispatch', v.error), () => refuse(h, `failed (${errorMessage(v.error)})`));
        if (v == null) return;
        if (!isDecision(v)) return then(failed(h, 'preDispatch', invalid('preDispatch', v, 'a decision')), () => refuse(h, 'returned an invalid decision'));
        return then(decided(h, 'preDispatch', v, call.id), () => {
          if ((v as Decision).kind === 'inject') return; // not an answer: the next hook is asked
          answer = v as DispatchAnswer;
          return STOP;
        });
      }), () => answer);
    },

    postDispatch(call, result, respond) {
      let stop: string | undefined;
      if (postDispatches.length === 0) return stop;
      return then(walk(postDispatches, (h) => h.hook.postDispatch!(ctx, call, result), (h, v) => {
        if (v instanceof HookFailure) return failed(h, 'postDispatch', v.error);
        if (v == null) return;
        if (typeof v === 'string') return void state.notes.push(v);
        if (!isDecision(v)) return;
        return then(decided(h, 'postDispatch', v, call.id), () => {
          if (v.kind === 'inject') state.notes.push(v.text);
          else if (v.kind === 'respond') result = respond(v.result);
          else if (v.kind === 'stop') stop ??= v.reason;
        });
      }), () => stop);
    },

    checkDone(call) {
      let refusal: string | undefined;
      if (doneChecks.length === 0) return refusal;
      return then(walk(doneChecks, (h) => h.hook.checkDone!(ctx, call), (h, v) => {
        if (v instanceof HookFailure) return failed(h, 'checkDone', v.error);
        if (v == null) return;
        if (typeof v === 'string') return then(decided(h, 'checkDone', { kind: 'deny', reason: v, retry: true }, call.id), () => ((refusal = v), STOP));
        if (isDecision(v) && v.kind === 'deny') return then(decided(h, 'checkDone', v, call.id), () => ((refusal = v.reason), STOP));
        if (isDecision(v) && v.kind === 'allow') return STOP;
      }), () => refusal);
    },

    shouldStop(step) {
      let reason: string | undefined;
      if (stopChecks.length === 0) return reason;
      return then(walk(stopChecks, (h) => h.hook.shouldStop!(ctx, step), (h, v) => {
        if (v instanceof HookFailure) return failed(h, 'shouldStop', v.error);
        if (v === true) return ((reason = 'hook_stop'), STOP);
        if (isDecision(v) && v.kind === 'stop') return then(decided(h, 'shouldStop', v), () => ((reason = v.reason), STOP));
      }), () => reason);
    },

    save(status = 'running', extra) {
      if (savers.length === 0) return;
      const checkpoint = snapshot(status, extra);
      return walk(savers, (h) => h.hook.onCheckpoint!(checkpoint, ctx), (h, v) => (v instanceof HookFailure ? failed(h, 'onCheckpoint', v.error) : undefined));
    },

    onLoopEnd(outcome) {
      return walk(enders, (h) => h.hook.onLoopEnd!(ctx, outcome), (h, v) => {
        if (!(v instanceof HookFailure) || config.hookErrors === 'throw') return;
        return events.emit({ ...events.hookError(h.name, 'onLoopEnd', v.error), step: ctx.stepCount });
      });
    },
  };
}
