// Writing checkpoints: the format's version, the tool-set fingerprint a resume is checked
// against, and the JSON text stores keep. Reading one back is read-checkpoint.ts.
import type { Checkpoint, Message, ToolSchema } from '../shapes.ts';
import { safeJSON } from '../util/json.ts';

export type { BatchRecord, CallRecord, CallState, Checkpoint, Hold, SkipReason } from '../shapes.ts';

/** Version 2: a call's progress is one `state` (see CallState); version 1 checkpoints are migrated on read. */
export const CHECKPOINT_VERSION = 2;


/** A schema's JSON with its keys sorted, so equal schemas give equal text. */
const sorted = (v: unknown): string => {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(sorted).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${sorted(o[k])}`).join(',')}}`;
};

/** A stable fingerprint of what the model was offered. */
export function fingerprint(schemas: readonly ToolSchema[]): string {
  const text = JSON.stringify(schemas.map((s) => [s.name, s.description, sorted(s.parameters)]));
  // FNV-1a, twice with different seeds: collisions here only weaken a safety check.
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}:${schemas.length}`;
}

// Messages are immutable and a conversation only grows, so each message's JSON is computed once,
// and a run's next checkpoint appends to the JSON of the messages its last one carried: V8 joins
// the two strings as a rope, so a write costs the new messages, not a re-serialisation of the run.
const messageJSON = new WeakMap<Message, string>();
const lastRun = new WeakMap<Message, { messages: readonly Message[]; json: string }>();

const jsonOf = (m: Message): string => {
  let j = messageJSON.get(m);
  if (j === undefined) messageJSON.set(m, (j = JSON.stringify(m)));
  return j;
};

/** `JSON.stringify(checkpoint)`, reusing the JSON of messages already written. */
export function checkpointJSON(cp: Checkpoint): string {
  // Stores take any value: whether it is a checkpoint is for the read to say (readCheckpoint).
  const loose: unknown = cp;
  if (!Array.isArray((loose as { messages?: unknown } | null)?.messages)) return JSON.stringify(loose) ?? 'null';
  const { messages, ...rest } = cp;
  const first = messages[0];
  const last = first && lastRun.get(first);
  let json = '';
  let from = 0;
  // Only when the last checkpoint's messages are a prefix of these (compaction starts afresh).
  if (last && last.messages.length <= messages.length && last.messages.every((m, i) => messages[i] === m)) {
    json = last.json;
    from = last.messages.length;
  }
  for (let i = from; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!m || typeof m !== 'object') return JSON.stringify(loose) ?? 'null'; // not messages: not a checkpoint either
    json = json ? `${json},${jsonOf(m as Message)}` : jsonOf(m as Message);
  }
  if (first) lastRun.set(first, { messages: messages.slice(), json });
  const head = safeJSON(rest); // a tool result JSON cannot hold (a cycle, a BigInt) must not fail the save
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"messages":[${json}]}`;
}
