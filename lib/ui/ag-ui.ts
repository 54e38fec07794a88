// A run as AG-UI 1.0 events (the protocol CopilotKit and other agent UIs read), and the way back:
// RunAgentInput.resume[] answers to its interrupts, as looplet decisions.
import type { LoopOutcome, ResumeDecision } from '../loop/types.ts';
import type { Usage } from '../shapes.ts';
import type { LoopEvent } from '../trace/events.ts';
import { sseResponse, streamRun, type StartRun, type Translator } from '../trace/stream.ts';
import { errorText } from './drive.ts';
import { readRun, type RunReader } from './read-run.ts';

interface Base { readonly timestamp?: number; readonly subagentRunId?: string }
type Usages = { inputTokens: number; outputTokens: number; totalTokens: number; reasoningTokens?: number; cachedInputTokens?: number }[];

/** An interrupt: one paused call, answered by a resume entry with the same `id`. */
export interface AGUIInterrupt {
  readonly id: string;
  readonly reason: 'tool_call';
  readonly message: string;
  readonly toolCallId: string;
  readonly responseSchema?: Readonly<Record<string, unknown>>;
  readonly metadata: { readonly toolName: string; readonly args: Record<string, unknown>; readonly signature?: string; readonly data?: unknown };
}

/** The AG-UI events a looplet run produces. */
export type AGUIEvent = Base & (
  | { type: 'RUN_STARTED'; threadId: string; runId: string; protocolVersion: '1.0' }
  | { type: 'RUN_FINISHED'; threadId: string; runId: string; result?: unknown; outcome: { type: 'success' } | { type: 'cancelled' } | { type: 'interrupt'; interrupts: AGUIInterrupt[] }; usage?: Usages }
  | { type: 'RUN_ERROR'; message: string; code?: string; usage?: Usages }
  | { type: 'STEP_STARTED' | 'STEP_FINISHED'; stepName: string }
  | { type: 'TEXT_MESSAGE_START'; messageId: string; role: 'assistant' }
  | { type: 'TEXT_MESSAGE_CONTENT'; messageId: string; delta: string }
  | { type: 'TEXT_MESSAGE_END'; messageId: string }
  | { type: 'REASONING_START' | 'REASONING_MESSAGE_END' | 'REASONING_END'; messageId: string }
  | { type: 'REASONING_MESSAGE_START'; messageId: string; role: 'reasoning' }
  | { type: 'REASONING_MESSAGE_CONTENT'; messageId: string; delta: string }
  | { type: 'TOOL_CALL_START'; toolCallId: string; toolCallName: string }
  | { type: 'TOOL_CALL_ARGS'; toolCallId: string; delta: string }
  | { type: 'TOOL_CALL_END'; toolCallId: string }
  | { type: 'TOOL_CALL_RESULT'; messageId: string; toolCallId: string; content: string; role: 'tool' }
  | { type: 'SUBAGENT_STARTED'; subagentRunId: string; name: string; parentToolCallId?: string; parentSubagentRunId?: string }
  | { type: 'SUBAGENT_FINISHED'; subagentRunId: string; result?: unknown; outcome: { type: 'success' } | { type: 'suspended'; interruptIds?: string[] } }
  | { type: 'SUBAGENT_ERROR'; subagentRunId: string; message: string; code?: string }
);

export interface AGUIStreamOptions {
  /** The AG-UI thread (RunAgentInput.threadId). Default: the run's conversation id, or its run id. */
  threadId?: string;
}

/**
 * The run's events as AG-UI 1.0 events: RUN_STARTED, a STEP per model call, TEXT_MESSAGE_* and
 * REASONING_* as they stream, TOOL_CALL_START/ARGS/END/RESULT per call, a subagent's run as
 * SUBAGENT_* with its events attributed, and RUN_FINISHED (success with `done`'s answer as
 * `result`, an `interrupt` per paused call, `cancelled` when aborted) or RUN_ERROR.
 */
export function toAGUIStream(start: StartRun, options: AGUIStreamOptions = {}): ReadableStream<AGUIEvent> {
  return streamRun(start, agUITranslator(options));
}

/** `toAGUIStream` as Server-Sent Events (`data:` JSON events), what AG-UI's HttpAgent reads. */
export function agUIResponse(start: StartRun, init: ResponseInit & AGUIStreamOptions = {}): Response {
  return sseResponse(toAGUIStream(start, init), init);
}

const usages = (u: Usage): Usages => [{
  inputTokens: u.inputTokens, outputTokens: u.outputTokens, totalTokens: u.totalTokens,
  ...(u.reasoningTokens !== undefined ? { reasoningTokens: u.reasoningTokens } : {}),
  ...(u.cachedInputTokens !== undefined ? { cachedInputTokens: u.cachedInputTokens } : {}),
}];

const content = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? 'null');

function agUITranslator(options: AGUIStreamOptions): Translator<AGUIEvent> {
  let top: { runId: string; threadId: string } | undefined;
  let seq = 0;
  let at: Base = {}; // the event being read: its time, and the subagent it belongs to
  const runs = new Map<string, RunReader>(); // a reader per run: the top one, and each subagent's
  const names = new Map<string, string>(); // a call's tool name, for the subagent it starts
  let push: (e: AGUIEvent) => void = () => {};

  const readerOf = (runId: string): RunReader => {
    let r = runs.get(runId);
    if (r) return r;
    let step = '';
    r = readRun({
      stepStart: (n) => push({ type: 'STEP_STARTED', stepName: (step = `model call (step ${n})`), ...at }),
      stepEnd: () => push({ type: 'STEP_FINISHED', stepName: step, ...at }),
      open(kind) {
        const messageId = `${runId}:${kind === 'text' ? 'm' : 'r'}${++seq}`;
        if (kind === 'text') push({ type: 'TEXT_MESSAGE_START', messageId, role: 'assistant', ...at });
        else {
          push({ type: 'REASONING_START', messageId, ...at });
          push({ type: 'REASONING_MESSAGE_START', messageId, role: 'reasoning', ...at });
        }
        return messageId;
      },
      delta: (kind, messageId, delta) => push({ type: kind === 'text' ? 'TEXT_MESSAGE_CONTENT' : 'REASONING_MESSAGE_CONTENT', messageId, delta, ...at }),
      close(kind, messageId) {
        if (kind === 'text') return push({ type: 'TEXT_MESSAGE_END', messageId, ...at });
        push({ type: 'REASONING_MESSAGE_END', messageId, ...at });
        push({ type: 'REASONING_END', messageId, ...at });
      },
      callStart(toolCallId, toolCallName) {
        names.set(toolCallId, toolCallName);
        push({ type: 'TOOL_CALL_START', toolCallId, toolCallName, ...at });
      },
      callArgs: (toolCallId, delta) => push({ type: 'TOOL_CALL_ARGS', toolCallId, delta, ...at }),
      callReady: (toolCallId) => push({ type: 'TOOL_CALL_END', toolCallId, ...at }),
      result({ status, toolCall: call, toolResult: r }) {
        const text = status === 'ok' ? content(r.data ?? null) : `${status === 'denied' ? 'Denied' : 'Error'}: ${r.error?.message ?? 'the call failed'}`;
        push({ type: 'TOOL_CALL_RESULT', messageId: `${runId}:result:${call.id}`, toolCallId: call.id, content: text, role: 'tool', ...at });
      },
    });
    runs.set(runId, r);
    return r;
  };

  /** A run's start and (a subagent's) end, which the reader leaves to the protocol. */
  const bounds = (e: LoopEvent): void => {
    const timestamp = at.timestamp;
    if (e.type === 'run.start' && e.parentRunId) {
      const parent = e.parentRunId !== top?.runId ? { parentSubagentRunId: e.parentRunId } : {};
      const call = e.parentCallId ? { parentToolCallId: e.parentCallId } : {};
      push({ type: 'SUBAGENT_STARTED', subagentRunId: e.runId, name: names.get(e.parentCallId ?? '') ?? 'subagent', ...call, ...parent, timestamp });
    } else if (e.type === 'run.start' && !top) {
      top = { runId: e.runId, threadId: options.threadId ?? e.conversationId ?? e.runId };
      push({ type: 'RUN_STARTED', threadId: top.threadId, runId: top.runId, protocolVersion: '1.0', timestamp });
    } else if (e.type === 'run.end' && e.parentRunId) {
      const o = e.outcome;
      if (o.status === 'error' || o.status === 'max_steps') push({ type: 'SUBAGENT_ERROR', subagentRunId: e.runId, message: o.error?.message ?? o.reason ?? o.status, code: o.error?.kind ?? o.status, timestamp });
      else push({ type: 'SUBAGENT_FINISHED', subagentRunId: e.runId, ...(o.answer !== undefined ? { result: o.answer } : {}), outcome: o.status === 'paused' ? { type: 'suspended', interruptIds: (o.pending ?? []).map((p) => p.id) } : { type: 'success' }, timestamp });
    }
  };

  return {
    event(e, p) {
      push = p;
      at = { timestamp: Math.round(e.ts), ...(e.parentRunId ? { subagentRunId: e.runId } : {}) };
      const reader = readerOf(e.runId);
      if (e.type === 'run.start') bounds(e);
      if (e.type === 'run.end') reader.end(); // closes the run's open text, reasoning and model call
      else reader.read(e);
      if (e.type === 'run.end') bounds(e);
    },
    end({ outcome, error }, p) {
      push = p;
      for (const r of runs.values()) r.end(); // a run that threw had no run.end
      const ids = top ?? { runId: outcome?.runId ?? options.threadId ?? 'run', threadId: options.threadId ?? outcome?.runId ?? 'run' };
      if (!top) push({ type: 'RUN_STARTED', ...ids, protocolVersion: '1.0' }); // refused before it began: still a run that failed
      const usage = outcome ? { usage: usages(outcome.usage) } : {};
      if (error !== undefined || !outcome) {
        const code = (error as { code?: unknown } | undefined)?.code;
        push({ type: 'RUN_ERROR', message: errorText(error), code: typeof code === 'string' ? code : 'error' });
        return;
      }
      if (outcome.status === 'error' || outcome.status === 'max_steps') {
        push({ type: 'RUN_ERROR', message: outcome.error?.message ?? outcome.reason ?? outcome.status, code: outcome.error?.kind ?? outcome.status, ...usage });
        return;
      }
      push({ type: 'RUN_FINISHED', ...ids, ...(outcome.answer !== undefined ? { result: outcome.answer } : {}), outcome: agUIOutcome(outcome), ...usage });
    },
  };
}

function agUIOutcome(o: LoopOutcome): Extract<AGUIEvent, { type: 'RUN_FINISHED' }>['outcome'] {
  if (o.status === 'aborted') return { type: 'cancelled' };
  if (o.status !== 'paused' || !o.pending?.length) return { type: 'success' };
  return {
    type: 'interrupt',
    interrupts: o.pending.map((p) => ({
      id: p.id, reason: 'tool_call', message: p.reason, toolCallId: p.call.id,
      ...(p.schema ? { responseSchema: p.schema } : {}),
      metadata: { toolName: p.call.name, args: p.call.args, ...(p.signature ? { signature: p.signature } : {}), ...(p.data !== undefined ? { data: p.data } : {}) },
    })),
  };
}

// ── the way back ──

/** A `RunAgentInput.resume[]` entry. */
export interface ResumeEntryLike {
  readonly interruptId: string;
  readonly status: 'resolved' | 'cancelled';
  readonly payload?: unknown;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Answers to a run's interrupts as looplet decisions, keyed by pending call id. A `resolved`
 * entry's payload: nothing, `true` or `{ approved: true }` approves; `false` or
 * `{ approved: false, reason }` rejects; `{ args }` runs the call with edited arguments; any
 * other object is the answer itself (a tool's own question, or arguments given whole).
 * `cancelled` rejects. `metadata.signature` travels with each.
 */
export function decisionsFromAGUI(resume: readonly ResumeEntryLike[] | undefined, { rejectReason = 'The user cancelled this call.' }: { rejectReason?: string } = {}): Record<string, ResumeDecision> {
  const out: Record<string, ResumeDecision> = {};
  for (const r of resume ?? []) {
    if (!r || typeof r.interruptId !== 'string') continue;
    const sig = r.metadata?.signature;
    const signature = typeof sig === 'string' ? { signature: sig } : {};
    const p = r.payload as { approved?: unknown; reason?: unknown; args?: unknown } | boolean | null | undefined;
    const reason = (typeof p === 'object' && p && typeof p.reason === 'string' && p.reason) || rejectReason;
    if (r.status === 'cancelled' || p === false || (typeof p === 'object' && p?.approved === false)) out[r.interruptId] = { kind: 'reject', reason, ...signature };
    else if (p === undefined || p === null || p === true || (typeof p === 'object' && p.approved === true)) out[r.interruptId] = { kind: 'approve', ...signature };
    else if (typeof p === 'object' && isRecord(p.args)) out[r.interruptId] = { kind: 'edit', args: p.args, ...signature };
    else if (isRecord(p)) out[r.interruptId] = { kind: 'edit', args: p, ...signature };
    else out[r.interruptId] = { kind: 'edit', args: { answer: p }, ...signature };
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
