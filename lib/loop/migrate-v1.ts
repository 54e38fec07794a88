// Version 1 checkpoints (looplet 0.1) kept a call's progress as a `phase` plus flags, and a
// skipped call's reason as the very text the model was told. Those texts are frozen here: they
// belong to that format, whatever the loop tells the model today.
import type { BatchRecord, CallRecord, SkipReason } from '../shapes.ts';

interface V1Call {
  id: string; name: string; raw: Record<string, unknown> | string; index: number; args: Record<string, unknown>;
  phase: string; status: string; data?: unknown; error?: CallRecord['error']; durationMs: number;
  note?: string; decided?: boolean; running?: boolean; recorded?: boolean; shown?: boolean;
}

interface V1Batch { llmMs: number; usage?: BatchRecord['usage']; calls: V1Call[]; usageGiven?: boolean; stop?: string; jsonResults?: string[] }

const SKIPPED: Record<string, SkipReason> = {
  'Not run: it came after `done` in the same reply.': 'after_done',
  'Not run: the run was stopped.': 'stopped',
  'Not run yet: the run is paused for approval of an earlier call.': 'paused',
  'Not run: only one tool call per reply is allowed; call it again on its own.': 'one_at_a_time',
};
const BUDGET = /^Not run: the step budget \(maxSteps=\d+\) is used up\.$/;
const INTERRUPTED = 'Interrupted while running (the process stopped): it may or may not have run. Approve to run it again, or reject.';

/** The same checkpoint in version 2. Throws a message (for a CheckpointError) when a call is not one version 1 wrote. */
export function migrateV1(cp: Record<string, unknown>): Record<string, unknown> {
  const { batch, ...rest } = cp;
  return { ...rest, v: 2, ...(batch === undefined ? {} : { batch: migrateBatch(batch as V1Batch) }) };
}

function migrateBatch(b: V1Batch): BatchRecord {
  if (!b || typeof b !== 'object' || !Array.isArray(b.calls)) throw new Error('batch');
  // usageGiven and jsonResults are derived from the calls in version 2.
  return { llmMs: b.llmMs, ...(b.usage ? { usage: b.usage } : {}), calls: b.calls.map(migrateCall), ...(b.stop !== undefined ? { stop: b.stop } : {}) };
}

function migrateCall(c: V1Call): CallRecord {
  if (!c || typeof c !== 'object' || typeof c.phase !== 'string') throw new Error('batch');
  const base = { id: c.id, name: c.name, raw: c.raw, index: c.index, args: c.args, durationMs: c.durationMs };
  // Held calls (skipped, paused) have no result yet.
  if (!c.running && c.phase === 'skip') return { ...base, state: c.recorded ? 'recorded' : 'skipped', status: 'ok', hold: { kind: 'skip', reason: skipReason(c.note) } };
  if (!c.running && c.phase === 'paused') return { ...base, state: 'paused', status: 'ok', hold: c.note === INTERRUPTED ? { kind: 'interrupted' } : { kind: 'pause', reason: c.note ?? 'paused' } };
  const state = c.running ? 'running' : c.recorded ? 'recorded' : PHASES.get(c.phase);
  if (!state) throw new Error(`batch: call ${JSON.stringify(c.id)} has an unknown phase ${JSON.stringify(c.phase)}`);
  return {
    ...base, state, status: c.status === 'error' || c.status === 'denied' ? c.status : 'ok',
    ...(c.data !== undefined ? { data: c.data } : {}), ...(c.error ? { error: c.error } : {}),
  };
}

const PHASES = new Map<string, CallRecord['state']>([['new', 'planned'], ['run', 'approved'], ['done', 'approved'], ['result', 'finished']]);

function skipReason(note: string | undefined): SkipReason {
  if (note !== undefined && SKIPPED[note]) return SKIPPED[note]!;
  if (note !== undefined && BUDGET.test(note)) return 'budget';
  throw new Error(`batch: a skipped call says ${JSON.stringify(note)}`);
}
