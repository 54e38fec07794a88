import type { Hook } from '../loop/types.ts';
import type { UserState } from '../tools/types.ts';

/**
 * A hook, returned as it is: only there so a hook written apart from `hooks: [...]` gets its
 * methods' parameter and return types without annotations. `S` types `ctx.state`.
 */
export const defineHook = <S extends UserState = UserState>(hook: Hook<S>): Hook<S> => hook;
