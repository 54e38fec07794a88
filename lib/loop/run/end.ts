// Ending a run: its outcome from how the last turn ended (a pause reports its pending calls),
// then the teardown that runs whatever happened — the checkpoint on the outcome, the last save,
// the onLoopEnd hooks and `run.end`.
import type { LoopOutcome } from '../../shapes.ts';
import { errorMessage } from '../../errors.ts';
import { acceptedDone } from './call.ts';
import { toCheckpoint, type Run } from './state.ts';
import type { TurnEnd } from './turn.ts';

export type FinalEnd = Exclude<TurnEnd, { readonly type: 'continue' }>;

/** The outcome of a run that ended as `end` says. */
export async function conclude(run: Run, end: FinalEnd): Promise<LoopOutcome> {
  const { env, state, events } = run;
  const base = { runId: env.runId, steps: state.stepCount, usage: state.usage };
  switch (end.type) {
    case 'done': return { status: 'done', ...base, reason: 'done', answer: end.answer };
    case 'stop': return { status: end.status, ...base, reason: end.reason };
    case 'error': return { status: 'error', ...base, reason: end.reason, error: end.error };
    case 'pause': {
      const pending = await (await import('../pauses.ts')).pendingOf(state.batch!.calls, env);
      if (events.on) await events.emit({ type: 'pause', step: run.step, pending });
      return { status: 'paused', ...base, reason: pending[0]?.reason ?? 'paused', pending };
    }
  }
}

/** The outcome of a run cut short: by the caller (who stopped iterating) or by an error. */
export function interrupted(run: Run, thrown: { error: unknown } | undefined): LoopOutcome {
  const { env, state } = run;
  const base = { runId: env.runId, steps: state.stepCount, usage: state.usage };
  const done = state.batch && acceptedDone(state.batch.calls);
  if (done) return { status: 'done', ...base, reason: 'done', answer: done.args.answer }; // it was done before the caller let go
  if (thrown) return { status: 'error', ...base, reason: 'internal', error: { kind: 'internal', message: errorMessage(thrown.error), retriable: false } };
  return { status: 'stopped', ...base, reason: 'caller_stopped' };
}

/** The teardown. Returns the final outcome, and an error to rethrow when saving or tracing the end failed. */
export async function teardown(run: Run, ended: LoopOutcome): Promise<{ outcome: LoopOutcome; error?: { error: unknown } }> {
  const { hooks, events, state } = run;
  let error: { error: unknown } | undefined;
  const pending = ended.pending ? { pending: ended.pending } : {};
  const outcome = ended.status === 'done' ? ended : { ...ended, checkpoint: toCheckpoint(run.env, state, ended.status, pending) };
  try {
    await hooks.save(outcome.status, { ...pending, ...(outcome.status === 'done' ? { answer: outcome.answer } : {}) });
  } catch (err) {
    error = { error: err };
  }
  await hooks.onLoopEnd(outcome);
  if (events.on) {
    try {
      await events.emit({ type: 'run.end', step: state.stepCount, outcome, usage: outcome.usage });
    } catch (err) {
      error ??= { error: err };
    }
  }
  run.env.release();
  return error ? { outcome, error } : { outcome };
}
