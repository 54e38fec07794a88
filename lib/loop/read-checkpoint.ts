// Reading a checkpoint back: loaded by runs that resume, and by stores' callers that check one.
import type { Message } from '../backends/types.ts';
import { CHECKPOINT_VERSION, CheckpointError, type BatchState, type Checkpoint } from './checkpoint.ts';

/** Checks a checkpoint read from a store: a corrupt or unknown one is an error, never a silent restart. */
export function readCheckpoint(value: unknown): Checkpoint {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      throw new CheckpointError(`The checkpoint is not valid JSON (${(err as Error).message}).`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CheckpointError('The checkpoint is not an object.');
  const c = value as Record<string, unknown>;
  if (c.v !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      typeof c.v === 'number' ? `Checkpoint version ${c.v} is not one this looplet reads (${CHECKPOINT_VERSION}).` : 'The checkpoint has no version: it is not a looplet checkpoint.',
    );
  }
  const bad = (field: string) => new CheckpointError(`The checkpoint is corrupt: "${field}" is missing or of the wrong type.`);
  if (typeof c.runId !== 'string' || !c.runId) throw bad('runId');
  if (typeof c.status !== 'string') throw bad('status');
  if (typeof c.tools !== 'string') throw bad('tools');
  if (!Array.isArray(c.messages) || c.messages.some((m) => !m || typeof (m as Message).role !== 'string' || typeof (m as Message).content !== 'string')) throw bad('messages');
  if (typeof c.stepCount !== 'number' || c.stepCount < 0) throw bad('stepCount');
  if (!c.config || typeof c.config !== 'object') throw bad('config');
  if (!c.usage || typeof c.usage !== 'object') throw bad('usage');
  if (typeof c.task !== 'string' && (!c.task || typeof (c.task as { goal?: unknown }).goal !== 'string')) throw bad('task');
  if (c.batch !== undefined) {
    const b = c.batch as BatchState;
    if (!b || !Array.isArray(b.calls) || b.calls.some((x) => !x || typeof x.id !== 'string' || typeof x.phase !== 'string')) throw bad('batch');
  }
  return c as unknown as Checkpoint;
}
