// The plain-data shapes the library shares: what a run sends to a model, yields, saves and
// traces. Everything here is JSON. This module imports nothing, so any module may import it
// without making a cycle.

// ── messages and tools (provider-neutral; each backend maps them to its wire format) ──

/** Token usage of one model reply, or a sum of them. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  costUsd?: number;
  /** The part of these totals that subagents (`agentTool`) used. */
  subagents?: Usage;
}

/** A tool call as the assistant sent it, kept in the conversation. */
export interface MessageToolCall {
  readonly id: string;
  readonly name: string;
  /** The raw JSON arguments, exactly as the model sent them (byte-stable for prompt caching). */
  readonly arguments: string;
}

export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** A provider-neutral message; each backend maps it to its own wire format. */
export interface Message {
  readonly role: Role;
  readonly content: string;
  /** On assistant messages: the tool calls of that reply. */
  readonly toolCalls?: readonly MessageToolCall[];
  /** On tool messages: the id of the call this answers. */
  readonly toolCallId?: string;
  /** On tool messages: the tool's name (some providers want it). */
  readonly name?: string;
  /** On assistant messages: what a provider needs sent back verbatim (e.g. signed thinking blocks), keyed by provider. */
  readonly providerData?: Readonly<Record<string, unknown>>;
}

/** JSON Schema, as plain JSON. */
export type JSONSchema = { readonly [key: string]: unknown };

/** What links a run's events to others: the conversation and turn it is, or the run and call that started it. */
export interface TraceTags {
  readonly conversationId?: string;
  readonly turn?: number;
  readonly parentRunId?: string;
  readonly parentCallId?: string;
}

/** What the model sees of a tool (and, for traces, where it lives). */
export interface ToolSchema {
  readonly name: string;
  readonly description: string;
  readonly parameters: JSONSchema;
  /** A tool served by someone else, e.g. an MCP server: traces and devtools show it. Not sent to the model. */
  readonly origin?: ToolOrigin;
}

/** Where a tool lives when it is not in this process: an MCP server, and the server's own name for it. */
export interface ToolOrigin {
  readonly kind: 'mcp';
  readonly server: string;
  readonly tool: string;
}

// ── errors as data ──

/** Why a tool call did not produce data. */
export type ToolErrorKind =
  | 'unknown_tool'
  | 'invalid_json'
  | 'invalid_args'
  | 'tool_error'
  | 'timeout'
  | 'aborted'
  | 'denied'
  | 'done_rejected'
  | 'hook_error';

export interface ToolError {
  readonly kind: ToolErrorKind;
  readonly message: string;
  readonly retriable: boolean;
}

/** The kinds a backend's `LLMError` can carry. */
export type LLMErrorKind = 'rate_limit' | 'auth' | 'bad_request' | 'context_length' | 'server' | 'network' | 'timeout' | 'aborted' | 'malformed';

/** Why a run ended in error. */
export type OutcomeErrorKind = LLMErrorKind | 'llm_error' | 'no_tool_call' | 'internal';

export interface OutcomeError {
  readonly kind: OutcomeErrorKind;
  readonly message: string;
  readonly retriable: boolean;
}

// ── a run: its task, config, steps and outcome ──

/** A string, or an object whose `goal` is the instruction and whose other fields are context. */
export type Task = string | { readonly goal: string; readonly [key: string]: unknown };

export interface LoopConfig {
  /** Tool calls allowed in the run (every call is a step, refused or failed ones included). Default 25. */
  maxSteps?: number;
  /** The system prompt. A short default tells the model to use tools and finish with `done`. */
  system?: string;
  /** `native`: the provider's tool calling. `json`: tool calls as JSON in the reply text. Default `native`. */
  toolCallMode?: 'native' | 'json';
  /** Let the model send several calls per reply, run concurrently. Default true. */
  parallelToolCalls?: boolean;
  /** Time limit per tool call (a spec's `timeoutMs` overrides it). Default: none. */
  toolTimeoutMs?: number;
  /** Replies in a row without a tool call before the run ends with error `no_tool_call`. Default 3. */
  maxNoToolCallTurns?: number;
  /** `record` (default): a throwing hook becomes an `error` event. `throw`: the loop rethrows it after teardown. */
  hookErrors?: 'record' | 'throw';
}

export type ResolvedConfig = Readonly<Required<Omit<LoopConfig, 'toolTimeoutMs'>>> & { readonly toolTimeoutMs?: number };

export type LoopStatus = 'done' | 'max_steps' | 'stopped' | 'aborted' | 'paused' | 'error';

export type StepStatus = 'ok' | 'error' | 'denied' | 'paused';

export interface StepTiming {
  /** Time of the model call that produced this step's call (on the first step of a reply; 0 on the others). */
  readonly llmMs: number;
  readonly toolMs: number;
}

export interface StepJSON {
  index: number;
  status: StepStatus;
  toolCall: { id: string; name: string; args: Record<string, unknown> };
  toolResult: { data?: unknown; error?: ToolError; durationMs: number };
  usage?: Usage;
  timing: StepTiming;
}

/** A call waiting for a human: what a pause reports. */
export interface PendingCallJSON {
  readonly id: string;
  readonly call: { readonly id: string; readonly name: string; readonly args: Record<string, unknown> };
  readonly reason: string;
  /** A tool that paused itself (`ctx.pause`): the data it passed. */
  readonly data?: unknown;
  /** A tool that paused itself with an answer schema: what `edit(args)` must give (instead of the tool's arguments). */
  readonly schema?: JSONSchema;
}

export interface PendingCall extends PendingCallJSON {
  /** With `approvalSecret`: the HMAC a decision for this call must carry. */
  readonly signature?: string;
}

/** A human's answer to a paused call. */
export type ResumeDecision =
  | { readonly kind: 'approve'; readonly signature?: string }
  | { readonly kind: 'reject'; readonly reason: string; readonly signature?: string }
  | { readonly kind: 'edit'; readonly args: Record<string, unknown>; readonly signature?: string };

export interface LoopOutcome {
  readonly status: LoopStatus;
  readonly runId: string;
  /** `done`'s `answer` argument. */
  readonly answer?: unknown;
  /** Why the run ended, in words (`done`, `max_steps`, `caller_stopped`, a hook's reason…). */
  readonly reason?: string;
  readonly error?: OutcomeError;
  /** Steps taken. */
  readonly steps: number;
  readonly usage: Usage;
  readonly pending?: readonly PendingCall[];
  readonly checkpoint?: Checkpoint;
}

export type LoopOutcomeJSON = LoopOutcome;

// ── checkpoints (version 2) ──

/**
 * Where a call of the reply being dispatched stands. Every change goes through `transition`
 * (lib/loop/run/call.ts), which refuses an impossible one:
 *
 *   planned ─▶ approved ─▶ running ─▶ finished ─▶ recorded
 *      │          └────────────────────▶ ┘ (done; a rejected or failed call)
 *      ├─▶ finished (invalid, denied, answered by a hook)
 *      ├─▶ paused ─▶ approved | finished (a human decided)
 *      └─▶ skipped ─▶ recorded (answered) | planned, approved, finished (after a pause)
 */
export type CallState = 'planned' | 'approved' | 'running' | 'finished' | 'paused' | 'skipped' | 'recorded';

/** Why a call was not run. `paused`: it waits behind a paused call of the same reply. */
export type SkipReason = 'budget' | 'after_done' | 'stopped' | 'paused' | 'one_at_a_time';

/** Why a call is held: skipped, or paused for a human (by a hook, or because a crash cut it off while running). */
export type Hold =
  | { readonly kind: 'skip'; readonly reason: SkipReason }
  | { readonly kind: 'pause'; readonly reason: string; readonly tool?: ToolPauseInfo }
  | { readonly kind: 'interrupted' };

/** What a tool that paused itself (`ctx.pause`) left for its next run. */
export interface ToolPauseInfo {
  readonly data?: unknown;
  readonly schema?: JSONSchema;
}

/** How a human answered a tool that paused itself: what the tool gets as `ctx.resumed` when it runs again. */
export interface ToolResumed {
  readonly kind: 'approve' | 'reject' | 'edit';
  readonly reason?: string;
  readonly args?: Record<string, unknown>;
  /** What the tool passed to `ctx.pause`. */
  readonly data?: unknown;
}

/** One tool call of the reply being dispatched, as a checkpoint keeps it. */
export interface CallRecord {
  readonly id: string;
  readonly name: string;
  /** The arguments exactly as the model sent them. */
  readonly raw: Record<string, unknown> | string;
  /** The step index, or 0 while none is assigned. */
  index: number;
  /** The parsed, validated (or rewritten, or edited) arguments; `{}` until parsed. */
  args: Record<string, unknown>;
  /** The arguments as given to the validator, when it changed them (a Standard Schema transform): a stored call is validated again from these before it runs. */
  input?: Record<string, unknown>;
  state: CallState;
  /** Once finished: how it went. */
  status: 'ok' | 'error' | 'denied';
  data?: unknown;
  error?: ToolError;
  durationMs: number;
  /** Set while skipped or paused (and kept once a skipped call is answered). */
  hold?: Hold;
  /** A human's answer to the tool's own pause, given to the tool when it runs again. */
  resumed?: ToolResumed;
  /** What the tool saved while it ran (`(await ctx.link()).save`), given back if it runs again. */
  progress?: unknown;
}

/** The reply being dispatched: saved until every call of it is recorded. */
export interface BatchRecord {
  /** Time of the model call. */
  readonly llmMs: number;
  readonly usage?: Usage;
  readonly calls: CallRecord[];
  /** A hook stopped the run during this reply: the turn ends `stopped` once the reply is recorded. */
  stop?: string;
  /** With an `approvalSecret`: an HMAC over the run id and the rest of this batch. */
  seal?: string;
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
  /** Text for the next prompt (hooks' notes, a nudge after a reply without a call). */
  readonly notes: readonly string[];
  readonly messages: readonly Message[];
  readonly batch?: BatchRecord;
  readonly pending?: readonly PendingCallJSON[];
  readonly answer?: unknown;
  readonly [key: string]: unknown;
}
