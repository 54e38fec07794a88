import type { LLMErrorKind } from './shapes.ts';

export type { LLMErrorKind, OutcomeError, OutcomeErrorKind, ToolError, ToolErrorKind } from './shapes.ts';

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
  override readonly name: string = 'LoopletError';
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
