// Calling one hook method: sync or async, and a throw becomes a value, never a crashed loop.
// Loaded with the hook runner and the emitter, for runs that have hooks.
import { errorMessage } from '../../errors.ts';
import type { HookSlot } from '../../trace/events.ts';
import { isThenable } from '../../util/thenable.ts';
import type { Hook } from '../types.ts';


/** What a throwing hook call turns into. */
export class HookFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Calls one hook method. Awaits only when the hook returned a promise, so sync hooks cost no
 * microtask on the hot path. A throw (or rejection) comes back as a `HookFailure`.
 */
export function callHook<R>(fn: () => R): Awaited<R> | HookFailure | Promise<Awaited<R> | HookFailure> {
  let out: R;
  try {
    out = fn();
  } catch (error) {
    return new HookFailure(error);
  }
  if (isThenable(out)) return Promise.resolve(out).then((v) => v as Awaited<R>, (error: unknown) => new HookFailure(error));
  return out as Awaited<R>;
}

/** The `error` event that records a failing hook. */
export function hookErrorEvent(hook: string, slot: HookSlot, error: unknown, step: number) {
  return {
    type: 'error' as const, step, source: 'hook' as const, hook, slot,
    error: { kind: 'hook_error', message: `${hook}.${slot} threw: ${errorMessage(error)}`, retriable: false },
  };
}

export interface NamedHook {
  readonly hook: Hook;
  readonly name: string;
}

/** Each hook with the name traces show: its `name`, its class's, or its position (`undefined` where a hook is not an object). */
export function nameHooks(hooks: readonly Hook[]): (NamedHook | undefined)[] {
  return hooks.map((hook, i) => {
    if (!hook || typeof hook !== 'object') return undefined;
    const ctor = (hook as { constructor?: { name?: string } }).constructor?.name;
    const name = hook.name ?? (ctor && ctor !== 'Object' ? ctor : `hook[${i}]`);
    return { hook, name };
  });
}
