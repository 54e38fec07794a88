// A run's trace events, in one object: every event gets its version, run id and time here, and
// goes to every `onEvent` hook in order. Loaded only for runs that someone listens to. Sync listeners cost no promise: `emit` returns one only
// when a listener did. A listener that throws is recorded as an `error` event (or rethrown, with
// `hookErrors: 'throw'`).
import type { LLMDelta } from '../../backends/types.ts';
import type { Message, TraceTags } from '../../shapes.ts';
import { TRACE_VERSION, type HookSlot, type LoopEvent } from '../../trace/events.ts';
import { callHook, HookFailure, hookErrorEvent, type NamedHook } from './hook-call.ts';

/** An event as a phase writes it: the emitter adds `v`, `runId` and `ts`. */
export type EventInit = LoopEvent extends infer E ? (E extends LoopEvent ? Omit<E, 'v' | 'runId' | 'ts'> : never) : never;

export interface Emitter {
  /** Whether anyone listens: phases skip building events nobody reads. */
  readonly on: boolean;
  /** Sync listeners cost no promise: a promise comes back only when a listener returned one. */
  emit(event: EventInit): void | Promise<void>;
  /** A streamed piece of the reply. A backend's callback cannot wait, so listeners get it at once. */
  delta(delta: LLMDelta): void;
  /** The prompt about to be sent: only the messages added since the previous one (all of them after a rewrite). */
  prompt(messages: Message[], system: string): void | Promise<void>;
  /** Another run's event (a subagent's), handed to this run's listeners as it is. */
  forward(event: LoopEvent): void | Promise<void>;
}

export function createEmitter(listeners: readonly NamedHook[], runId: string, hookErrors: 'record' | 'throw', step: () => number, tags?: TraceTags): Emitter {
  const on = listeners.length > 0;
  const stamp = (e: EventInit) => ({ v: TRACE_VERSION, runId, ts: Date.now(), ...tags, ...e }) as LoopEvent;
  const hookError = (hook: string, slot: HookSlot, error: unknown) => hookErrorEvent(hook, slot, error, step());

  const deliver = (h: NamedHook, event: LoopEvent): void | Promise<void> => {
    const r = callHook(() => h.hook.onEvent!(event));
    const check = (v: unknown): void | Promise<void> => {
      if (!(v instanceof HookFailure) || event.type === 'error') return;
      if (hookErrors === 'throw') throw v.error;
      return send(stamp(hookError(h.name, 'onEvent', v.error)));
    };
    return r instanceof Promise ? r.then(check) : check(r);
  };
  const send = (event: LoopEvent): void | Promise<void> => {
    let chain: Promise<void> | undefined;
    for (const h of listeners) {
      if (chain) chain = chain.then(() => deliver(h, event));
      else chain = deliver(h, event) ?? undefined;
    }
    return chain;
  };

  // For `prompt` events: what the previous one covered.
  let sentArray: Message[] | undefined;
  let sentLength = 0;
  let sentSystem: string | undefined;

  return {
    on,
    emit: (e) => (on ? send(stamp(e)) : undefined),
    forward: (e) => (on ? send(e) : undefined),
    delta(d) {
      const event = stamp({ type: 'llm.delta', step: step(), ...d });
      for (const h of listeners) {
        const r = callHook(() => h.hook.onEvent!(event));
        const report = (v: unknown) => {
          if (v instanceof HookFailure && hookErrors !== 'throw') void send(stamp(hookError(h.name, 'onEvent', v.error)));
        };
        if (r instanceof Promise) void r.then(report); else report(r);
      }
    },
    prompt(messages, system) {
      const whole = messages !== sentArray;
      const offset = whole ? 0 : sentLength;
      const first = system !== sentSystem;
      sentArray = messages;
      sentLength = messages.length;
      sentSystem = system;
      if (!on) return;
      return send(stamp({ type: 'prompt', step: step(), offset, messages: messages.slice(offset), ...(first ? { system } : {}) }));
    },
  };
}
