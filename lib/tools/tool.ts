import type { ToolParameters, ToolSpec, UserState } from './types.ts';

/**
 * A tool spec, returned as it is: only there so TypeScript infers `execute`'s arguments from
 * `parameters` (a Standard Schema, or a JSON Schema written inline or `as const`) without annotations.
 */
export const tool = <const P extends ToolParameters, S extends UserState = UserState>(spec: ToolSpec<P, S>): ToolSpec<P, S> => spec;
