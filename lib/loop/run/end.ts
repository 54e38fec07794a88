// Ending a run: its outcome from how the last turn ended (a pause reports its pending calls),
// then the teardown that runs whatever happened — the checkpoint on the outcome, the last save,
// the onLoopEnd hooks and `run.end`.
import type { LoopOutcome } from '../../shapes.ts';
import type { Run } from './run.ts';
import { toCheckpoint } from './state.ts';
import type { FinalEnd } from './turn.ts';

/** The outcome of a run that ended as `end` says. */
export async function conclude(run: Run, end: FinalEnd): Promise<LoopOutcome> {
  const { env, state, events } = run;
  const { type, ...rest } = end;
  const outcome: LoopOutcome = { status: type, runId: env.runId, reason: type, steps: state.stepCount, usage: state.usage, ...rest };
  if (type !== 'paused') return outcome;
  const pending = await (await import('../pauses.ts')).pendingOf(state.batch!.calls, env);
  if (events.on) await events.emit({ type: 'pause', step: run.step, pending });
  return { ...outcome, reason: pending[0]?.reason ?? 'paused', pending };
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
