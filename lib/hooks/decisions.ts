// Hook decisions are small tagged values, never exceptions. Their JSON form is what
// the `decision` trace event carries, so the devtools can show what a hook did.

export interface Allow { readonly kind: 'allow' }
export interface Deny { readonly kind: 'deny'; readonly reason: string; readonly retry: boolean }
export interface Rewrite { readonly kind: 'rewrite'; readonly args: Record<string, unknown> }
export interface Respond { readonly kind: 'respond'; readonly result: unknown }
export interface Inject { readonly kind: 'inject'; readonly text: string }
export interface Stop { readonly kind: 'stop'; readonly reason: string }
export interface Pause { readonly kind: 'pause'; readonly reason: string }

export type Decision = Allow | Deny | Rewrite | Respond | Inject | Stop | Pause;

export const allow = (): Allow => ({ kind: 'allow' });
/** The tool does not run; the model sees `reason`. `retry` tells the model whether trying again may succeed. */
export const deny = (reason: string, opts: { retry?: boolean } = {}): Deny => ({ kind: 'deny', reason, retry: opts.retry ?? false });
/** The tool runs with these arguments instead (validated again). */
export const rewrite = (args: Record<string, unknown>): Rewrite => ({ kind: 'rewrite', args });
/** The tool does not run (preDispatch) or its result is replaced (postDispatch): `result` is recorded. */
export const respond = (result: unknown): Respond => ({ kind: 'respond', result });
/** A note for the model, added to the next prompt. */
export const inject = (text: string): Inject => ({ kind: 'inject', text });
/** End the run with status `stopped`. */
export const stop = (reason: string): Stop => ({ kind: 'stop', reason });
/** Pause the run before this call until a human decides. */
export const pause = (reason: string): Pause => ({ kind: 'pause', reason });

const KINDS = new Set(['allow', 'deny', 'rewrite', 'respond', 'inject', 'stop', 'pause']);

export function isDecision(value: unknown): value is Decision {
  return typeof value === 'object' && value !== null && KINDS.has((value as { kind?: unknown }).kind as string);
}

// Answers to paused calls, passed as `decisions` when resuming. `signature` is the pending
// call's signature when the run uses an `approvalSecret`.
export const approve = (opts: { signature?: string } = {}) => ({ kind: 'approve' as const, ...opts });
export const reject = (reason: string, opts: { signature?: string } = {}) => ({ kind: 'reject' as const, reason, ...opts });
export const edit = (args: Record<string, unknown>, opts: { signature?: string } = {}) => ({ kind: 'edit' as const, args, ...opts });
