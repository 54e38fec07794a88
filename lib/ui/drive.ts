// Small things both UI adapters use. Running the agent and streaming its events is
// ../trace/stream.ts, which toEventStream uses too.

/**
 * The `done` tool's name (lib/tools/done.ts). Kept here: importing that module for one inlined
 * string leaves a bare import of its chunk in dist/ui, which bundlers warn about (sideEffects: false).
 */
export const DONE = 'done';

/** An error's words, for a UI to show (a typed looplet error keeps its code). */
export function errorText(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return typeof e?.code === 'string' ? `${e.code}: ${message}` : message;
}

/** A tool call's arguments as an object when they parse, else as sent. */
export function parsedArgs(args: Record<string, unknown> | string): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}
