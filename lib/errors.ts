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
export type LLMErrorKind =
  | 'rate_limit'
  | 'auth'
  | 'bad_request'
  | 'context_length'
  | 'server'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'malformed';

/** Why a run ended in error. */
export type OutcomeErrorKind = LLMErrorKind | 'llm_error' | 'no_tool_call' | 'internal';

export interface OutcomeError {
  readonly kind: OutcomeErrorKind;
  readonly message: string;
  readonly retriable: boolean;
}

/** A typed error from a backend. */
export class LLMError extends Error {
  override readonly name = 'LLMError';
  readonly kind: LLMErrorKind;
  readonly status?: number;
  readonly retriable: boolean;
  readonly retryAfterMs?: number;
  constructor(
    kind: LLMErrorKind,
    message: string,
    opts: { status?: number; retriable?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    if (opts.status !== undefined) this.status = opts.status;
    this.retriable = opts.retriable ?? false;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Misuse of the API by the caller (bad options, duplicate tool names…): thrown, never swallowed. */
export class LoopletError extends Error {
  override readonly name = 'LoopletError';
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
