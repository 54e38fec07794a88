// What a run is made of: `RunEnv` does not change during the run; `RunState` is what changes,
// and what a checkpoint saves.
import type { LLMBackend } from '../../backends/types.ts';
import type { BatchRecord, Checkpoint, Message, PendingCallJSON, ResolvedConfig, Task, ToolSchema, TraceTags, Usage } from '../../shapes.ts';
import type { ToolRegistry } from '../../tools/registry.ts';
import { CHECKPOINT_VERSION } from '../checkpoint.ts';
import { taskText } from '../messages.ts';
import type { RunAbort } from '../run-tool.ts';
import { zeroUsage } from '../usage.ts';

export interface RunEnv {
  readonly runId: string;
  readonly llm: LLMBackend;
  readonly registry: ToolRegistry;
  readonly schemas: readonly ToolSchema[];
  /** The tool set's fingerprint, saved so a resume with other tools is refused. */
  readonly toolsPrint: string;
  readonly task: Task;
  readonly config: ResolvedConfig;
  /** The system prompt as sent (with the tool-call instructions in JSON-in-text mode). */
  readonly system: string;
  /** JSON-in-text mode's parser: loaded only for runs that use it. */
  readonly json: typeof import('../json-mode.ts') | undefined;
  /** The run's own signal: aborted by the caller's, and at teardown. */
  readonly signal: AbortSignal;
  /** At teardown: lets go of the caller's signal and aborts the run's own. */
  readonly release: () => void;
  readonly abort: RunAbort;
  readonly approvalSecret: string | undefined;
  /** With an approval secret: the seal a checkpoint's open reply carries. */
  readonly seal: ((batch: BatchRecord) => string) | undefined;
  /** Stamped on every event: the conversation and turn, or the parent run and call. */
  readonly tags: TraceTags | undefined;
}

export interface RunState {
  /** The conversation (the system prompt is separate). Only grows, but for compaction. */
  messages: Message[];
  usage: Usage;
  stepCount: number;
  /** For call ids a backend did not give. */
  callSeq: number;
  /** Replies in a row without a tool call. */
  noCallTurns: number;
  /** Text for the next prompt. */
  notes: string[];
  /** The reply being dispatched; kept until every call of it is recorded. */
  batch: BatchRecord | undefined;
  /** The caller's `state`, shared by tools and hooks. */
  userState: Record<string, unknown>;
}

/** A batch is open while one of its calls is not recorded; a closed one is not saved. */
export const isOpen = (batch: BatchRecord | undefined): boolean => !!batch && batch.calls.some((c) => c.state !== 'recorded');

const copyBatch = (b: BatchRecord): BatchRecord => ({ ...b, calls: b.calls.map((c) => ({ ...c })) });

/** A new run's state, or a resumed one's from its checkpoint. */
export function stateFrom(cp: Checkpoint | undefined, task: Task, userState: Record<string, unknown> | undefined, history: readonly Message[] = []): RunState {
  const from = cp ?? { messages: [...history, { role: 'user', content: taskText(task) }], usage: zeroUsage(), stepCount: 0, callSeq: 0, noCallTurns: 0, notes: [], state: {}, batch: undefined };
  return {
    messages: [...from.messages], usage: { ...from.usage }, stepCount: from.stepCount, callSeq: from.callSeq, noCallTurns: from.noCallTurns,
    notes: [...from.notes], batch: from.batch && unsealed(copyBatch(from.batch)), userState: userState ?? from.state,
  };
}

export interface SnapshotExtra {
  readonly pending?: readonly PendingCallJSON[];
  readonly answer?: unknown;
}

const sealed = (env: RunEnv, b: BatchRecord): BatchRecord => (env.seal ? { ...b, seal: env.seal(b) } : b);
const unsealed = ({ seal: _seal, ...b }: BatchRecord): BatchRecord => b; // checked already; a save seals it afresh

/** The run as a checkpoint, right now: plain JSON, copied so later changes do not leak into it. */
export function toCheckpoint(env: RunEnv, state: RunState, status: Checkpoint['status'], extra: SnapshotExtra = {}): Checkpoint {
  return {
    v: CHECKPOINT_VERSION, runId: env.runId, savedAt: Date.now(), status, task: env.task, config: env.config, tools: env.toolsPrint,
    state: state.userState, stepCount: state.stepCount, usage: { ...state.usage }, callSeq: state.callSeq, noCallTurns: state.noCallTurns,
    notes: [...state.notes], messages: state.messages.slice(),
    ...(state.batch && isOpen(state.batch) ? { batch: sealed(env, copyBatch(state.batch)) } : {}),
    ...extra,
  };
}
