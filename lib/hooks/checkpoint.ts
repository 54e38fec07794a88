import type { Checkpoint } from '../loop/checkpoint.ts';
import type { Hook } from '../loop/types.ts';
import type { CheckpointStore } from '../stores/types.ts';

/** Saves the run at every save point (before tools run, after each finishes, before each step is yielded, at the end). */
export class CheckpointHook implements Hook {
  readonly name = 'CheckpointHook';
  readonly runId?: string;
  readonly store: CheckpointStore;

  constructor(opts: { store: CheckpointStore; runId?: string }) {
    this.store = opts.store;
    if (opts.runId !== undefined) this.runId = opts.runId;
  }

  onCheckpoint(checkpoint: Checkpoint): Promise<void> {
    return this.store.put(checkpoint.runId, checkpoint);
  }
}
