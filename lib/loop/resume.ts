import { LoopletError } from '../errors.ts';
import type { CheckpointStore } from '../stores/types.ts';
import { composableLoop } from './compose.ts';
import type { Step } from './step.ts';
import type { LoopOptions, LoopOutcome } from './types.ts';

/** Continues run `runId` from its last checkpoint in `store`; task and config come from the checkpoint. */
export async function* resumeFrom(
  store: CheckpointStore,
  runId: string,
  options: Omit<LoopOptions, 'resume' | 'task'>,
): AsyncGenerator<Step, LoopOutcome, undefined> {
  const checkpoint = await store.get(runId);
  if (!checkpoint) throw new LoopletError(`No checkpoint for run ${runId} in this store.`);
  return yield* composableLoop({ ...options, runId, resume: checkpoint });
}
