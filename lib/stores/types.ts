import type { Checkpoint } from '../loop/checkpoint.ts';

/** Where checkpoints live, keyed by run id. Stores take and return plain objects and serialize as they need. */
export interface CheckpointStore {
  get(runId: string): Promise<Checkpoint | undefined>;
  put(runId: string, checkpoint: Checkpoint): Promise<void>;
  list(): Promise<string[]>;
  delete(runId: string): Promise<void>;
}
