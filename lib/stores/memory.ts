import { checkpointJSON, type Checkpoint } from '../loop/checkpoint.ts';
import type { CheckpointStore } from './types.ts';

/** Checkpoints in memory, kept as JSON text so later changes to live objects cannot leak into them. */
export function memoryStore(): CheckpointStore {
  const data = new Map<string, string>();
  return {
    async get(runId) {
      const text = data.get(runId);
      return text === undefined ? undefined : (JSON.parse(text) as Checkpoint);
    },
    async put(runId, checkpoint) {
      data.set(runId, checkpointJSON(checkpoint));
    },
    async list() {
      return [...data.keys()];
    },
    async delete(runId) {
      data.delete(runId);
    },
  };
}
