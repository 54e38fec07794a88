// A tool that needs a human mid-call returns `ctx.pause(question, data)`: a marker the loop
// turns into a paused call (../loop/tool-pauses.ts). It sits under a registered symbol, so a
// tool's own return values are never mistaken for it.
import type { JSONSchema } from '../backends/types.ts';

const PAUSE: unique symbol = Symbol.for('looplet.toolPause') as never;

/** What `ctx.pause` returns; return it from `execute`. */
export interface ToolPause {
  readonly [PAUSE]: true;
  readonly reason: string;
  readonly data?: unknown;
  readonly schema?: JSONSchema | undefined;
}

export const toolPause = (reason: string, data?: unknown, options?: { schema?: JSONSchema }): ToolPause => ({ [PAUSE]: true, reason, data, schema: options?.schema });

export const isToolPause = (x: unknown): x is ToolPause => (x as { [PAUSE]?: unknown } | null)?.[PAUSE] === true;
