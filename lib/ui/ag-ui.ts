// A run as AG-UI 1.0 events (the protocol CopilotKit and other agent UIs read), and the way back:
// RunAgentInput.resume[] answers to its interrupts, as looplet decisions.
import type { LoopOutcome, ResumeDecision } from '../loop/types.ts';
import type { Usage } from '../shapes.ts';
import type { LoopEvent } from '../trace/events.ts';
import { DONE, errorText, parsedArgs, sseResponse, translate, type StartRun, type Translator } from './drive.ts';

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
  return translate(start, agUITranslator(options));
}

/** `toAGUIStream` as Server-Sent Events (`data:` JSON events), what AG-UI's HttpAgent reads. */
export function agUIResponse(start: StartRun, init: ResponseInit & AGUIStreamOptions = {}): Response {
  return sseResponse(toAGUIStream(start, init), init, {}, false);
}

const usages = (u: Usage): Usages => [{
  inputTokens: u.inputTokens, outputTokens: u.outputTokens, totalTokens: u.totalTokens,
  ...(u.reasoningTokens !== undefined ? { reasoningTokens: u.reasoningTokens } : {}),
  ...(u.cachedInputTokens !== undefined ? { cachedInputTokens: u.cachedInputTokens } : {}),
}];

const content = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? 'null');

/** What one run (the top one, or a subagent's) has open. */
interface RunView { step?: string; text?: string; reasoning?: string; sawText: boolean; sawReasoning: boolean; json: boolean; byIndex: Map<number, string> }

function agUITranslator(options: AGUIStreamOptions): Translator<AGUIEvent> {
  let top: { runId: string; threadId: string } | undefined;
  let seq = 0;
  const runs = new Map<string, RunView>();
  const started = new Set<string>(), ended = new Set<string>(), names = new Map<string, string>();
  let push: (e: AGUIEvent) => void = () => {};

  const view = (runId: string): RunView => {
    let v = runs.get(runId);
    if (!v) runs.set(runId, (v = { sawText: false, sawReasoning: false, json: false, byIndex: new Map() }));
    return v;
  };

  const on = (e: LoopEvent): void => {
    const sub = e.parentRunId ? { subagentRunId: e.runId } : {};
    const at = { timestamp: Math.round(e.ts), ...sub };
    const v = view(e.runId);
    const closeText = () => { if (v.text) push({ type: 'TEXT_MESSAGE_END', messageId: v.text, ...at }); v.text = undefined; };
    const closeReasoning = () => {
      if (!v.reasoning) return;
      push({ type: 'REASONING_MESSAGE_END', messageId: v.reasoning, ...at });
      push({ type: 'REASONING_END', messageId: v.reasoning, ...at });
      v.reasoning = undefined;
    };
    const say = (delta: string) => {
      closeReasoning();
      if (!v.text) push({ type: 'TEXT_MESSAGE_START', messageId: (v.text = `${e.runId}:m${++seq}`), role: 'assistant', ...at });
      push({ type: 'TEXT_MESSAGE_CONTENT', messageId: v.text, delta, ...at });
    };
    const think = (delta: string) => {
      closeText();
      if (!v.reasoning) {
        v.reasoning = `${e.runId}:r${++seq}`;
        push({ type: 'REASONING_START', messageId: v.reasoning, ...at });
        push({ type: 'REASONING_MESSAGE_START', messageId: v.reasoning, role: 'reasoning', ...at });
      }
      push({ type: 'REASONING_MESSAGE_CONTENT', messageId: v.reasoning, delta, ...at });
    };
    const startCall = (id: string, name: string) => {
      if (started.has(id)) return false;
      started.add(id);
      names.set(id, name);
      push({ type: 'TOOL_CALL_START', toolCallId: id, toolCallName: name, ...at });
      return true;
    };
    const endCall = (id: string, name: string, args: unknown) => {
      if (startCall(id, name)) push({ type: 'TOOL_CALL_ARGS', toolCallId: id, delta: content(args), ...at });
      if (!ended.has(id)) push({ type: 'TOOL_CALL_END', toolCallId: id, ...at });
      ended.add(id);
    };

    switch (e.type) {
      case 'run.start':
        v.json = e.config.toolCallMode === 'json';
        if (e.parentRunId) {
          const parent = e.parentRunId !== top?.runId ? { parentSubagentRunId: e.parentRunId } : {};
          const call = e.parentCallId ? { parentToolCallId: e.parentCallId } : {};
          push({ type: 'SUBAGENT_STARTED', subagentRunId: e.runId, name: names.get(e.parentCallId ?? '') ?? 'subagent', ...call, ...parent, timestamp: at.timestamp });
        } else if (!top) {
          top = { runId: e.runId, threadId: options.threadId ?? e.conversationId ?? e.runId };
          push({ type: 'RUN_STARTED', threadId: top.threadId, runId: top.runId, protocolVersion: '1.0', timestamp: at.timestamp });
        }
        return;
      case 'prompt':
        closeReasoning();
        closeText();
        if (v.step) push({ type: 'STEP_FINISHED', stepName: v.step, ...at });
        push({ type: 'STEP_STARTED', stepName: (v.step = `model call (step ${e.step})`), ...at });
        v.sawText = v.sawReasoning = false;
        v.byIndex.clear();
        return;
      case 'llm.delta':
        if (e.reasoning) { v.sawReasoning = true; think(e.reasoning); }
        if (e.text && !v.json) { v.sawText = true; say(e.text); }
        if (e.toolCallIndex === undefined) return;
        if (e.toolName !== undefined && e.toolCallId && e.toolName !== DONE) {
          closeReasoning();
          closeText();
          v.byIndex.set(e.toolCallIndex, e.toolCallId);
          startCall(e.toolCallId, e.toolName);
        }
        if (e.argumentsDelta && v.byIndex.has(e.toolCallIndex)) push({ type: 'TOOL_CALL_ARGS', toolCallId: v.byIndex.get(e.toolCallIndex)!, delta: e.argumentsDelta, ...at });
        return;
      case 'llm.response': {
        const r = e.response;
        if (r.reasoning && !v.sawReasoning) think(r.reasoning);
        if (r.text && !v.sawText && !v.json) say(r.text);
        closeReasoning();
        closeText();
        for (const c of r.toolCalls ?? []) {
          if (!c.id || c.name === DONE || !startCall(c.id, c.name)) continue;
          const raw = typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments);
          if (raw) push({ type: 'TOOL_CALL_ARGS', toolCallId: c.id, delta: raw, ...at });
        }
        return;
      }
      case 'tool.call':
        if (e.call.name !== DONE) endCall(e.call.id, e.call.name, parsedArgs(e.call.arguments));
        return;
      case 'step': {
        const { status, toolCall: call, toolResult: result } = e.record;
        if (call.name === DONE) {
          const answer = (result.data as { answer?: unknown } | undefined)?.answer;
          if (status === 'ok' && answer !== undefined) say(content(answer));
          closeText();
          return;
        }
        if (status === 'paused') return;
        closeReasoning();
        closeText();
        endCall(call.id, call.name, call.args);
        const text = status === 'ok' ? content(result.data ?? null) : `${status === 'denied' ? 'Denied' : 'Error'}: ${result.error?.message ?? 'the call failed'}`;
        push({ type: 'TOOL_CALL_RESULT', messageId: `${e.runId}:result:${call.id}`, toolCallId: call.id, content: text, role: 'tool', ...at });
        return;
      }
      case 'run.end': {
        closeReasoning();
        closeText();
        if (v.step) push({ type: 'STEP_FINISHED', stepName: v.step, ...at });
        v.step = undefined;
        if (!e.parentRunId) return; // the top run ends with the outcome, which carries the signatures
        const o = e.outcome;
        if (o.status === 'error' || o.status === 'max_steps') push({ type: 'SUBAGENT_ERROR', subagentRunId: e.runId, message: o.error?.message ?? o.reason ?? o.status, code: o.error?.kind ?? o.status, timestamp: at.timestamp });
        else push({ type: 'SUBAGENT_FINISHED', subagentRunId: e.runId, ...(o.answer !== undefined ? { result: o.answer } : {}), outcome: o.status === 'paused' ? { type: 'suspended', interruptIds: (o.pending ?? []).map((p) => p.id) } : { type: 'success' }, timestamp: at.timestamp });
        return;
      }
    }
  };

  return {
    event(e, p) {
      push = p;
      on(e);
    },
    end({ outcome, error }, p) {
      push = p;
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
