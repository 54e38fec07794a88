// A turn, and how the run goes on after it. `decide` is the one place where a run's next move
// is decided, from its state alone: the phases only record what happened.
import type { OutcomeError } from '../../shapes.ts';
import type { Step } from '../step.ts';
import { acceptedDone } from './call.ts';
import { execute } from './execute.ts';
import { plan } from './plan.ts';
import { prompt } from './prompt.ts';
import { record } from './record.ts';
import { isOpen, type Run } from './state.ts';

export type TurnEnd =
  | { readonly type: 'continue' }
  | { readonly type: 'done'; readonly answer: unknown }
  | { readonly type: 'pause' }
  | { readonly type: 'stop'; readonly status: 'stopped' | 'max_steps' | 'aborted'; readonly reason: string }
  | { readonly type: 'error'; readonly reason: string; readonly error: OutcomeError };

const CONTINUE: TurnEnd = { type: 'continue' };

/** One turn: ask the model (unless a reply is still being dispatched), then plan, execute and record its calls. */
export async function* turn(run: Run): AsyncGenerator<Step, void, undefined> {
  const { state } = run;
  if (!isOpen(state.batch)) {
    state.batch = undefined;
    await prompt(run);
    if (!state.batch) return; // no call: a failed model call, an abort, or a nudge for the next turn
  }
  await plan(run);
  await execute(run);
  yield* record(run);
}

/** What happens next: the run's end, or another turn. */
export function decide(run: Run): TurnEnd {
  const { env, state } = run;
  const batch = state.batch;
  if (run.failure) return { type: 'error', ...run.failure };
  const done = batch && acceptedDone(batch.calls);
  if (done) return { type: 'done', answer: done.args.answer };
  if (batch?.calls.some((c) => c.state === 'paused')) return { type: 'pause' };
  if (isOpen(batch)) return CONTINUE; // a resumed reply with calls still to record
  if (batch?.stop !== undefined) return { type: 'stop', status: 'stopped', reason: batch.stop };
  if (env.signal.aborted) return { type: 'stop', status: 'aborted', reason: abortReason(env.signal) };
  if (state.stepCount >= env.config.maxSteps) return { type: 'stop', status: 'max_steps', reason: 'max_steps' };
  return CONTINUE;
}

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error && r.message ? `aborted: ${r.message}` : 'aborted';
}
