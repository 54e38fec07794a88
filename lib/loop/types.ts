import type { LLMBackend } from '../backends/types.ts';
import type { Allow, Deny, Inject, Pause, Respond, Rewrite, Stop } from '../hooks/decisions.ts';
import type { Checkpoint, LoopConfig, LoopOutcome, Message, ResolvedConfig, ResumeDecision, Task, ToolError, ToolSchema, TraceTags } from '../shapes.ts';
import type { HookSlot, LoopEvent } from '../trace/events.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { RegisteredTool, ToolParameters, ToolSpec, UserState } from '../tools/types.ts';
import type { Step } from './step.ts';

// The loop's API types: what callers pass and what hooks receive. Plain-data shapes (outcome,
// checkpoint, config) live in ../shapes.ts and are re-exported here.
export type { Checkpoint, LoopConfig, LoopOutcome, LoopOutcomeJSON, LoopStatus, PendingCall, ResolvedConfig, ResumeDecision, Task } from '../shapes.ts';

/** A tool call as hooks see it: arguments parsed and validated. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export interface ToolResult {
  readonly data?: unknown;
  readonly error?: ToolError;
  readonly durationMs: number;
}

/** What every hook method receives: a live view of the run. `S` types `state`. */
export interface HookContext<S extends UserState = UserState> {
  readonly runId: string;
  /** The step being decided (in preDispatch/postDispatch/checkDone/shouldStop) or the next one (prePrompt). */
  readonly step: number;
  /** Steps completed so far. */
  readonly stepCount: number;
  readonly task: Task;
  readonly state: S;
  readonly config: ResolvedConfig;
  /** The conversation so far (provider-neutral messages; the system prompt is separate). */
  readonly messages: readonly Message[];
  readonly system: string;
  readonly tools: readonly ToolSchema[];
  readonly signal: AbortSignal;
  /** The run as a checkpoint, right now (plain JSON-able data). */
  checkpoint(): Checkpoint;
  /** A tool of the run, by name (with its spec flags such as `needsApproval`). */
  tool(name: string): RegisteredTool | undefined;
  /** Emits a hook's own event (`metrics`, `eval`) to every onEvent listener and the trace. */
  emit(type: 'metrics' | 'eval', fields: Record<string, unknown>): Promise<void>;
}

type Awaitable<T> = T | Promise<T>;
type None = void | undefined | null;

/**
 * A hook is any object with some of these methods, sync or async. Composition rules: see README.
 * `S` types `ctx.state`. A hook literal is typed where it is written inside `hooks: [...]`; one
 * written apart gets its types from `defineHook({...})` (or a `Hook` annotation).
 */
export interface Hook<S extends UserState = UserState> {
  /** Shown in traces; defaults to the class name. */
  readonly name?: string;
  preLoop?(ctx: HookContext<S>): Awaitable<None>;
  /** Text (or `inject`) is added to the next prompt; a message list replaces the conversation. */
  prePrompt?(ctx: HookContext<S>, messages: readonly Message[]): Awaitable<None | string | Inject | readonly Message[]>;
  /** The first decision wins. Not called for `done`. */
  preDispatch?(ctx: HookContext<S>, call: ToolCall): Awaitable<None | Allow | Deny | Rewrite | Respond | Stop | Pause>;
  /** Every hook runs. Text/`inject` is a note for the next prompt; `respond` replaces the result. */
  postDispatch?(ctx: HookContext<S>, call: ToolCall, result: ToolResult): Awaitable<None | string | Inject | Respond | Stop>;
  /** Called for `done`. The first rejection (a string or `deny`) wins: the run goes on. */
  checkDone?(ctx: HookContext<S>, call: ToolCall): Awaitable<None | string | Deny | Allow>;
  /** Any `true` or `stop()` ends the run with status `stopped`. */
  shouldStop?(ctx: HookContext<S>, step: Step): Awaitable<None | boolean | Stop>;
  onLoopEnd?(ctx: HookContext<S>, outcome: LoopOutcome): Awaitable<None>;
  /**
   * Called with a fresh checkpoint before tools run, after each finishes, before each step is
   * yielded and at the end. Awaited: a store's write is done before the loop goes on.
   */
  onCheckpoint?(checkpoint: Checkpoint, ctx: HookContext<S>): Awaitable<None>;
  /**
   * Called before each prompt (`threshold`) and once after a context-length error (`emergency`):
   * return a compacted conversation to replace the current one (tool call/result pairs intact).
   */
  compact?(ctx: HookContext<S>, messages: readonly Message[], reason: 'threshold' | 'emergency'): Awaitable<None | CompactResult>;
  /** A hook may name the run (CheckpointHook does: its store key). */
  readonly runId?: string;
  onEvent?(event: LoopEvent): Awaitable<None>;
}

/** One hook method's function type, by slot: `const guard: HookFn<'preDispatch'> = (ctx, call) => …`. */
export type HookFn<K extends HookSlot, S extends UserState = UserState> = NonNullable<Hook<S>[K]>;

/** What a compaction did. */
export interface CompactResult {
  readonly messages: readonly Message[];
  readonly strategy: string;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  readonly removedMessages: number;
  /** Stages of a chain that failed and were skipped. */
  readonly failures?: readonly { readonly strategy: string; readonly message: string }[];
}

/** Tool specs, one per schema in `T`: how `composableLoop` types each inline spec's `execute` on its own. */
export type ToolSpecs<T extends readonly ToolParameters[], S extends UserState = UserState> = {
  readonly [K in keyof T]: T[K] extends ToolParameters ? ToolSpec<T[K], S> : never;
};

// `state: {}` says nothing about the keys hooks will add: they see the untyped state, as before.
type Seen<S extends UserState> = keyof S extends never ? UserState : S;

/**
 * `S` is the type of `state` (as `ctx.state` in hooks and tools); `T`, the schemas of an inline
 * `tools` array. Both are inferred by `composableLoop`, and default to the untyped forms.
 */
export interface LoopOptions<S extends UserState = UserState, T extends readonly ToolParameters[] = readonly ToolParameters[]> {
  llm: LLMBackend;
  // NoInfer: `S` comes from `state` (or is given); hooks and specs written for the untyped state
  // (class hooks) would otherwise widen it back to Record<string, unknown>.
  tools: ToolRegistry | ToolSpecs<T, NoInfer<Seen<S>>>;
  /** Required unless resuming. */
  task?: Task;
  config?: LoopConfig;
  state?: S;
  hooks?: readonly Hook<NoInfer<Seen<S>>>[];
  signal?: AbortSignal;
  /** The run's id (default: a hook's `runId`, the checkpoint's, or a new UUID). */
  runId?: string;
  /** A checkpoint to continue from: task and config come from it (`config` given here overrides). */
  resume?: Checkpoint;
  /**
   * With a secret, pending calls carry an HMAC `signature` and a decision is refused unless it
   * carries the signature of the call it answers (for decisions that arrive from outside).
   */
  approvalSecret?: string;
  /** Answers to the checkpoint's pending calls, by pending id. */
  decisions?: Readonly<Record<string, ResumeDecision>>;
  /** Messages the conversation starts with, before the task's (a chat's earlier turns; see `conversation`). */
  history?: readonly Message[];
  /** Stamped on every event of the run: its conversation and turn, or its parent run and call (see `agentTool`). */
  trace?: TraceTags;
}
