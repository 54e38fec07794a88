import type { Hook, HookContext, ToolCall } from '../loop/types.ts';
import { pause, type Pause } from './decisions.ts';

export interface ApprovalOptions {
  /** Tool names, or a predicate; tools whose spec says `needsApproval` always pause. */
  tools?: readonly string[] | ((call: ToolCall, ctx: HookContext) => boolean);
  /** What the pending call says (default: "<tool> needs approval"). */
  reason?: string | ((call: ToolCall) => string);
}

/** Pauses the run before the calls a human must approve. */
export class ApprovalHook implements Hook {
  readonly name = 'ApprovalHook';
  readonly #opts: ApprovalOptions;

  constructor(opts: ApprovalOptions = {}) {
    this.#opts = opts;
  }

  preDispatch(ctx: HookContext, call: ToolCall): Pause | undefined {
    const { tools, reason } = this.#opts;
    const listed = typeof tools === 'function' ? tools(call, ctx) : tools ? tools.includes(call.name) : false;
    if (!listed && !ctx.tool(call.name)?.needsApproval) return undefined;
    return pause(typeof reason === 'function' ? reason(call) : reason ?? `${call.name} needs approval`);
  }
}
