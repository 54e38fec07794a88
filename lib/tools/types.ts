import type { JSONSchema } from '../backends/types.ts';
import type { ToolOrigin, ToolResumed, Usage } from '../shapes.ts';
import type { LoopEvent } from '../trace/events.ts';
import type { ToolPause } from './pause.ts';
import type { JSONArgs } from './infer.ts';
import type { StandardSchemaV1, InferOutput } from './standard-schema.ts';

/** The run's user state (the `state` option) as tools and hooks see it. */
export type UserState = Record<string, unknown>;

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext<S extends UserState = UserState> {
  /** Aborted when the run is aborted or the tool's timeout passes. */
  readonly signal: AbortSignal;
  readonly runId: string;
  /** The index of the step this call becomes. */
  readonly step: number;
  readonly callId: string;
  /** The run's user state (the `state` option), shared by tools and hooks. */
  readonly state: S;
  /**
   * Ask a human mid-call: `return ctx.pause(question, data)`. The call pauses with `question` as
   * its reason and `data` on the pending call; `approve()`, `reject(reason)` or `edit(args)` answer
   * it and the tool runs again with `ctx.resumed`. With `schema`, `edit(answer)` is an answer
   * validated against it (the tool's arguments stay as they were).
   */
  pause(question: string, data?: unknown, options?: { schema?: JSONSchema }): ToolPause;
  /**
   * Set when the tool runs again after its own pause: how the human answered, and the data it
   * paused with. Side effects made before the pause happen again unless the tool checks this.
   */
  readonly resumed?: ToolResumed;
  /** For tools that run other runs (subagents): progress kept in this run's checkpoint, events and usage passed up. */
  link(): Promise<ToolLink>;
}

/** What a tool that runs another run (a subagent) needs from the run it is part of. */
export interface ToolLink {
  /** What this call saved before it was interrupted or paused (`undefined` on its first run). */
  readonly saved: unknown;
  /** Keeps `progress` with the call in this run's checkpoint; resolves once it is saved. */
  save(progress: unknown): Promise<void>;
  /** Hands another run's event to this run's listeners, as it is (one trace holds the whole tree). */
  emit(event: LoopEvent): Promise<void>;
  /** Counts another run's usage in this run's total (and apart, in `usage.subagents`). */
  addUsage(usage: Usage): void;
  /** This run's `hookErrors`: a run nested in it fails the same way. */
  readonly hookErrors: 'record' | 'throw';
}

/** What a tool's `parameters` may be: a JSON Schema object or a Standard Schema (zod, valibot, arktype…). */
export type ToolParameters = JSONSchema | StandardSchemaV1;

/**
 * Arguments a tool receives: a Standard Schema's output, a literal JSON Schema's type
 * (see `FromJSONSchema`), else a plain object. Not distributive: `ToolSpec` of any schema gets a plain object.
 */
export type ToolArgs<P> = [P] extends [StandardSchemaV1] ? InferOutput<P> : [P] extends [JSONSchema] ? JSONArgs<P> : Record<string, unknown>;

/**
 * A tool. `P` is inferred from `parameters` (by `tool()`, `register()` and `composableLoop`'s
 * `tools`), so `execute`'s arguments are typed; `ToolSpec` alone is a spec of any schema, and an
 * array of them may mix JSON Schema and Standard Schema specs. `S` types `ctx.state`.
 */
export interface ToolSpec<P extends ToolParameters = ToolParameters, S extends UserState = UserState> {
  readonly name: string;
  readonly description: string;
  /** A JSON Schema object, or a Standard Schema (zod, valibot, arktype…) used for validation. */
  readonly parameters: P;
  /** The JSON Schema the model sees, when `parameters` is a Standard Schema without its own converter. */
  readonly jsonSchema?: JSONSchema;
  execute(args: ToolArgs<P>, ctx: ToolContext<S>): unknown;
  /** Overrides the run's `toolTimeoutMs` for this tool. */
  readonly timeoutMs?: number;
  /** Pause for human approval before every call, whatever hooks are installed (a hook may still deny or answer it). */
  readonly needsApproval?: boolean;
  /** Where the tool lives when another process serves it (MCP): shown in traces. */
  readonly origin?: ToolOrigin;
}

/** A validation problem in a tool call's arguments. */
export interface ArgIssue {
  readonly path: string;
  readonly message: string;
}

/** A tool as the registry holds it: one JSON Schema for the model, one validator for the loop. */
export interface RegisteredTool {
  readonly name: string;
  readonly description: string;
  readonly parameters: JSONSchema;
  readonly timeoutMs?: number;
  readonly needsApproval?: boolean;
  readonly origin?: ToolOrigin;
  validate(args: Record<string, unknown>): ValidationResult | Promise<ValidationResult>;
  execute(args: Record<string, unknown>, ctx: ToolContext): unknown;
}

export type ValidationResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly issues: readonly ArgIssue[] };
