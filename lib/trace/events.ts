import type { LLMResponse } from '../backends/types.ts';
import type { Decision } from '../hooks/decisions.ts';
import type { LoopOutcomeJSON, Message, PendingCallJSON, StepJSON, Task, ToolError, ToolSchema, Usage } from '../shapes.ts';

export type { PendingCallJSON } from '../shapes.ts';

/** Bumped when an event's shape changes incompatibly. */
export const TRACE_VERSION = 1 as const;

interface EventBase<T extends string> {
  readonly v: typeof TRACE_VERSION;
  readonly type: T;
  readonly runId: string;
  /** The step this event belongs to (for `prompt` / `llm.response`: the next step to be taken). */
  readonly step: number;
  /** Epoch milliseconds. */
  readonly ts: number;
  /** A conversation's turn: which chat, which turn (see `conversation`). */
  readonly conversationId?: string;
  readonly turn?: number;
  /** A subagent's run: the run and the call that started it (see `agentTool`). */
  readonly parentRunId?: string;
  readonly parentCallId?: string;
}

export interface RunStartEvent extends EventBase<'run.start'> {
  readonly task: Task;
  readonly config: { readonly maxSteps: number; readonly toolCallMode: 'native' | 'json'; readonly parallelToolCalls: boolean };
  readonly tools: readonly ToolSchema[];
}

/**
 * The prompt sent to the model. Only the messages added since the run's previous `prompt`
 * event are carried: the full prompt is the previous one's first `offset` messages followed
 * by `messages`. After a rewrite (compaction) `offset` is 0 and the conversation comes whole.
 */
export interface PromptEvent extends EventBase<'prompt'> {
  readonly offset: number;
  readonly messages: readonly Message[];
  /** Present on the first prompt event and whenever the system prompt changed. */
  readonly system?: string;
}

/** The whole model reply (raw tool-call arguments included): enough to replay the run without the model. */
export interface LLMResponseEvent extends EventBase<'llm.response'> {
  readonly response: LLMResponse;
  readonly durationMs: number;
}

/** A streamed piece of a reply, for UIs that show tokens as they arrive. */
export interface LLMDeltaEvent extends EventBase<'llm.delta'> {
  readonly text?: string;
  readonly reasoning?: string;
  readonly toolCallIndex?: number;
  /** The first delta of a tool call carries its name, and its id when the provider sends it first. */
  readonly toolName?: string;
  readonly toolCallId?: string;
  readonly argumentsDelta?: string;
}

export interface ToolCallEvent extends EventBase<'tool.call'> {
  readonly call: { readonly id: string; readonly name: string; readonly arguments: Record<string, unknown> | string };
}

export type HookSlot = 'preLoop' | 'prePrompt' | 'preDispatch' | 'postDispatch' | 'checkDone' | 'shouldStop' | 'onLoopEnd' | 'onEvent' | 'onCheckpoint' | 'compact';

/** A MetricsHook summary at run end. */
export interface MetricsEvent extends EventBase<'metrics'> {
  readonly [key: string]: unknown;
}

/** Eval scores of a run. */
export interface EvalEvent extends EventBase<'eval'> {
  readonly results: readonly { readonly name: string; readonly score: number; readonly passed: boolean; readonly reason?: string }[];
}

/** A hook changed the course of the run (denied, rewrote, responded, injected, stopped, paused). */
export interface DecisionEvent extends EventBase<'decision'> {
  readonly hook: string;
  readonly slot: HookSlot;
  readonly callId?: string;
  readonly decision: Decision;
}

export interface ToolResultEvent extends EventBase<'tool.result'> {
  readonly callId: string;
  readonly name: string;
  readonly data?: unknown;
  readonly error?: ToolError;
  readonly durationMs: number;
}

export interface StepEvent extends EventBase<'step'> {
  readonly record: StepJSON;
}

export interface PauseEvent extends EventBase<'pause'> {
  readonly pending: readonly PendingCallJSON[];
}

export interface ResumeEvent extends EventBase<'resume'> {
  readonly decisions: Readonly<Record<string, unknown>>;
}

export interface CompactEvent extends EventBase<'compact'> {
  readonly strategy: string;
  readonly reason: 'threshold' | 'emergency';
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  readonly removedMessages: number;
  /** Stages of a compaction chain that failed and were skipped. */
  readonly failures?: readonly { readonly strategy: string; readonly message: string }[];
}

export interface ErrorEvent extends EventBase<'error'> {
  readonly source: 'hook' | 'llm' | 'loop';
  readonly hook?: string;
  readonly slot?: HookSlot;
  readonly error: { readonly kind: string; readonly message: string; readonly retriable: boolean };
}

export interface RunEndEvent extends EventBase<'run.end'> {
  readonly outcome: LoopOutcomeJSON;
  readonly usage: Usage;
}

export type LoopEvent =
  | RunStartEvent
  | PromptEvent
  | LLMResponseEvent
  | LLMDeltaEvent
  | ToolCallEvent
  | DecisionEvent
  | ToolResultEvent
  | StepEvent
  | PauseEvent
  | ResumeEvent
  | CompactEvent
  | MetricsEvent
  | EvalEvent
  | ErrorEvent
  | RunEndEvent;

export type LoopEventType = LoopEvent['type'];
export type EventOf<T extends LoopEventType> = Extract<LoopEvent, { type: T }>;
