// Reading a checkpoint back: loaded by runs that resume, and by stores' callers that check one.
// Every field the loop relies on is checked; version 1 checkpoints are migrated first.
import type { CallRecord, Checkpoint, Message } from '../shapes.ts';
import { CHECKPOINT_VERSION } from './checkpoint.ts';
import { CheckpointError } from './refusals.ts';
import { migrateV1 } from './migrate-v1.ts';

const STATES = new Set(['planned', 'approved', 'running', 'finished', 'paused', 'skipped', 'recorded']);
const SKIPS = new Set(['budget', 'after_done', 'stopped', 'paused', 'one_at_a_time']);

/** Checks a checkpoint read from a store: a corrupt or unknown one is an error, never a silent restart. */
export function readCheckpoint(value: unknown): Checkpoint {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      throw new CheckpointError(`The checkpoint is not valid JSON (${(err as Error).message}).`, 'not_a_checkpoint');
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CheckpointError('The checkpoint is not an object.', 'not_a_checkpoint');
  let c = value as Record<string, unknown>;
  const bad = (field: string) => new CheckpointError(`The checkpoint is corrupt: "${field}" is missing or of the wrong type.`);
  if (c.v === 1) {
    try {
      c = migrateV1(c);
    } catch (err) {
      throw bad((err as Error).message);
    }
  }
  if (c.v !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      typeof c.v === 'number' ? `Checkpoint version ${c.v} is not one this looplet reads (1 or ${CHECKPOINT_VERSION}).` : 'The checkpoint has no version: it is not a looplet checkpoint.',
      typeof c.v === 'number' ? 'version' : 'not_a_checkpoint',
    );
  }
  const count = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (typeof c.runId !== 'string' || !c.runId) throw bad('runId');
  if (typeof c.status !== 'string') throw bad('status');
  if (typeof c.tools !== 'string') throw bad('tools');
  if (!Array.isArray(c.messages) || !c.messages.every(isMessage)) throw bad('messages');
  if (!count(c.stepCount)) throw bad('stepCount');
  if (!count(c.callSeq)) throw bad('callSeq');
  if (!count(c.noCallTurns)) throw bad('noCallTurns');
  if (!Array.isArray(c.notes) || c.notes.some((n) => typeof n !== 'string')) throw bad('notes');
  if (!c.config || typeof c.config !== 'object') throw bad('config');
  const usage = c.usage as Record<string, unknown> | null;
  if (!usage || typeof usage !== 'object' || !['inputTokens', 'outputTokens', 'totalTokens'].every((k) => typeof usage[k] === 'number')) throw bad('usage');
  if (!c.state || typeof c.state !== 'object') throw bad('state');
  if (typeof c.task !== 'string' && (!c.task || typeof (c.task as { goal?: unknown }).goal !== 'string')) throw bad('task');
  if (c.batch !== undefined) {
    const b = c.batch as { calls?: unknown };
    if (!b || !Array.isArray(b.calls) || b.calls.length === 0 || !b.calls.every(isCall)) throw bad('batch');
  }
  const cp = c as unknown as Checkpoint;
  const loose = unbound(cp);
  if (loose) throw new CheckpointError(`The checkpoint is corrupt: ${loose}.`);
  return cp;
}

function isCall(x: unknown): x is CallRecord {
  if (!x || typeof x !== 'object') return false;
  const c = x as CallRecord;
  if (typeof c.id !== 'string' || typeof c.name !== 'string' || !STATES.has(c.state)) return false;
  if (typeof c.index !== 'number' || !c.args || typeof c.args !== 'object' || (typeof c.raw !== 'string' && (!c.raw || typeof c.raw !== 'object'))) return false;
  if (c.status !== 'ok' && c.status !== 'error' && c.status !== 'denied') return false;
  const h = c.hold;
  if (c.state === 'skipped' && !(h?.kind === 'skip' && SKIPS.has(h.reason))) return false;
  if (c.state === 'paused' && !(h?.kind === 'interrupted' || (h?.kind === 'pause' && typeof h.reason === 'string'))) return false;
  if (h?.kind === 'pause' && h.tool !== undefined && (!h.tool || typeof h.tool !== 'object')) return false;
  const r = c.resumed;
  if (r !== undefined && (!r || typeof r !== 'object' || !['approve', 'reject', 'edit'].includes(r.kind))) return false;
  return true;
}

// looplet/checkpoint: reading one is what only some apps need, so it is a subpath of its own.
export { CHECKPOINT_VERSION } from './checkpoint.ts';
export { CheckpointError, DecisionError } from './refusals.ts';

function isMessage(m: unknown): m is Message {
  if (!m || typeof m !== 'object') return false;
  const { role, content, toolCalls } = m as Message;
  return typeof role === 'string' && typeof content === 'string' && (toolCalls === undefined || (Array.isArray(toolCalls) && toolCalls.every((t) => !!t && typeof t.id === 'string' && typeof t.name === 'string' && typeof t.arguments === 'string')));
}

/**
 * Tool calls and their answers must pair up, or a resumed run would send a model a call it never
 * answered: every call the conversation shows is answered by a tool message or still in the
 * batch, and (with native tool calls) every call of the batch is one the conversation shows.
 */
function unbound(cp: Checkpoint): string | undefined {
  const answered = new Set(cp.messages.filter((m) => m.role === 'tool').map((m) => m.toolCallId));
  const asked = new Set(cp.messages.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((t) => t.id) : [])));
  const pending = new Set((cp.batch?.calls ?? []).filter((c) => c.state !== 'recorded').map((c) => c.id));
  for (const id of asked) if (!answered.has(id) && !pending.has(id)) return `call "${id}" is never answered (the reply it belongs to is missing)`;
  if (cp.config.toolCallMode === 'json') return undefined;
  for (const c of cp.batch?.calls ?? []) if (!asked.has(c.id)) return `call "${c.id}" of the batch is not in the conversation`;
  return undefined;
}
