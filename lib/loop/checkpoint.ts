import type { Message, ToolSchema, Usage } from '../backends/types.ts';
import { LoopletError, type ToolError } from '../errors.ts';
import type { PendingCallJSON } from '../trace/events.ts';
import type { StepStatus } from './step.ts';
import type { LoopStatus, ResolvedConfig, Task } from './types.ts';

export const CHECKPOINT_VERSION = 1;

/** One tool call of the reply being dispatched, as a checkpoint keeps it. */
export interface CallState {
  readonly id: string;
  readonly name: string;
  /** The arguments exactly as the model sent them. */
  readonly raw: Record<string, unknown> | string;
  /** The step index, or 0 while none is assigned. */
  index: number;
  args: Record<string, unknown>;
  /**
   * new: not looked at yet · run: to execute · result: data/error known · done: a `done` call ·
   * paused: waiting for a human · skip: answered without running (budget, after done…)
   */
  phase: 'new' | 'run' | 'result' | 'done' | 'paused' | 'skip';
  status: StepStatus;
  data?: unknown;
  error?: ToolError;
  durationMs: number;
  /** For skipped calls: what the model is told. For paused ones: why. */
  note?: string;
  /** Answered by a human decision: hooks are not asked again. */
  decided?: boolean;
  /** The tool was started and has not finished: after a crash it may or may not have run. */
  running?: boolean;
  /** Recorded (step yielded or call answered). */
  recorded?: boolean;
  /** For a paused call: its paused record was yielded already. */
  shown?: boolean;
}

export interface BatchState {
  llmMs: number;
  usage?: Usage;
  calls: CallState[];
  /** The reply's usage went on a step already. */
  usageGiven?: boolean;
  /** A hook stopped the run during this reply. */
  stop?: string;
  /** JSON-in-text mode: results waiting to go back as one user message. */
  jsonResults?: string[];
}

/** A run saved as plain JSON: enough to continue it in another process. Never holds API keys. */
export interface Checkpoint {
  readonly v: number;
  readonly runId: string;
  readonly savedAt: number;
  /** `running` while in progress; the outcome's status once the run ended. */
  readonly status: 'running' | LoopStatus;
  readonly task: Task;
  readonly config: ResolvedConfig;
  /** A fingerprint of the tool set (names, descriptions, schemas): resuming with other tools is refused. */
  readonly tools: string;
  readonly state: Record<string, unknown>;
  readonly stepCount: number;
  readonly usage: Usage;
  readonly callSeq: number;
  readonly noCallTurns: number;
  readonly notes: readonly string[];
  readonly messages: readonly Message[];
  readonly batch?: BatchState;
  readonly pending?: readonly PendingCallJSON[];
  readonly answer?: unknown;
  readonly [key: string]: unknown;
}

export class CheckpointError extends LoopletError {}

/** A stable fingerprint of what the model was offered. */
export function fingerprint(schemas: readonly ToolSchema[]): string {
  const text = JSON.stringify(schemas.map((s) => [s.name, s.description, canonical(s.parameters)]));
  // FNV-1a, twice with different seeds: collisions here only weaken a safety check.
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}:${schemas.length}`;
}

/** JSON with sorted keys, so equal values give equal text. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
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
  for (let i = from; i < messages.length; i++) json = json ? `${json},${jsonOf(messages[i]!)}` : jsonOf(messages[i]!);
  if (first) lastRun.set(first, { messages: messages.slice(), json });
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"messages":[${json}]}`;
}
