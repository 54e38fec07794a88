// A turn, and how the run goes on after it. `decide` is the one place where a run's next move
// is decided, from its state alone: the phases only record what happened.
import { errorMessage } from '../../errors.ts';
import type { OutcomeError } from '../../shapes.ts';
import { acceptedDone } from './call.ts';
import { execute } from './execute.ts';
import { plan } from './plan.ts';
import { prompt } from './prompt.ts';
import type { Run } from './run.ts';
import { isOpen } from './state.ts';

/** How a turn ended: the run goes on, or ends with the outcome status the tag names. */
export type TurnEnd =
  | { readonly type: 'continue' }
  | { readonly type: 'done'; readonly answer: unknown }
  | { readonly type: 'paused' }
  | { readonly type: 'stopped' | 'max_steps' | 'aborted'; readonly reason: string }
  | { readonly type: 'error'; readonly reason: string; readonly error: OutcomeError };

export type FinalEnd = Exclude<TurnEnd, { readonly type: 'continue' }>;

const CONTINUE: TurnEnd = { type: 'continue' };

/**
 * A turn, up to its steps: ask the model (unless a reply is still being dispatched), then plan
 * and execute its calls. True when there are calls to record (`record` yields them as Steps).
 */
export async function turn(run: Run): Promise<boolean> {
  const { state } = run;
  if (!isOpen(state.batch)) {
    state.batch = undefined;
    await prompt(run);
    if (!state.batch) return false; // no call: a failed model call, an abort, or a nudge for the next turn
  }
  await plan(run);
  await execute(run);
  return true;
}

/** What happens next: the run's end, or another turn. */
export function decide(run: Run): TurnEnd {
  const { env, state } = run;
  const batch = state.batch;
  if (run.failure) return { type: 'error', ...run.failure };
  const done = batch && acceptedDone(batch.calls);
  if (done) return { type: 'done', answer: done.args.answer };
  if (batch?.calls.some((c) => c.state === 'paused')) return { type: 'paused' };
  if (isOpen(batch)) return CONTINUE; // a resumed reply with calls still to record
  if (batch?.stop !== undefined) return { type: 'stopped', reason: batch.stop };
  if (env.signal.aborted) return { type: 'aborted', reason: abortReason(env.signal) };
  if (state.stepCount >= env.config.maxSteps) return { type: 'max_steps', reason: 'max_steps' };
  return CONTINUE;
}

/** How a run cut short ends: done if it already was (the caller let go after the answer), else an internal error after a throw, else stopped by its caller. */
export function interrupted(run: Run, thrown: { error: unknown } | undefined): FinalEnd {
  const now = decide(run);
  if (now.type === 'done') return now;
  if (thrown) return { type: 'error', reason: 'internal', error: { kind: 'internal', message: errorMessage(thrown.error), retriable: false } };
  return { type: 'stopped', reason: 'caller_stopped' };
}

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error && r.message ? `aborted: ${r.message}` : 'aborted';
}
