import { LoopletError } from '../errors.ts';
import type { Hook, HookContext, ToolCall } from '../loop/types.ts';
import { allow, deny, pause, type Allow, type Deny, type Pause } from './decisions.ts';

export type PermissionAction = 'allow' | 'deny' | 'ask';

export interface PermissionRule {
  /** A tool name, a RegExp over names, or '*'. */
  tool: string | RegExp;
  /** Argument patterns: a literal matches by equality, a RegExp by test (on the value as text). */
  args?: Record<string, unknown>;
  action: PermissionAction;
  /** What the model (deny) or the human (ask) is told. */
  reason?: string;
}

export interface PermissionOptions {
  rules: readonly PermissionRule[];
  /** When no rule matches. Default 'allow'. */
  default?: PermissionAction;
}

/** Allow / deny / ask by tool and arguments. Rules are checked in order; the first match decides. Each call is evaluated once. */
export class PermissionHook implements Hook {
  readonly name = 'PermissionHook';
  readonly #rules: readonly PermissionRule[];
  readonly #fallback: PermissionAction;

  constructor(opts: PermissionOptions) {
    if (!opts || !Array.isArray(opts.rules)) throw new LoopletError('PermissionHook needs { rules: [...] }.');
    for (const r of opts.rules) {
      if (!['allow', 'deny', 'ask'].includes(r.action)) throw new LoopletError(`PermissionHook: unknown action ${JSON.stringify(r.action)}.`);
    }
    this.#rules = opts.rules;
    this.#fallback = opts.default ?? 'allow';
  }

  /** The rule that decides a call, if any. */
  match(call: ToolCall): PermissionRule | undefined {
    return this.#rules.find((r) => matchTool(r.tool, call.name) && matchArgs(r.args, call.args));
  }

  preDispatch(_ctx: HookContext, call: ToolCall): Allow | Deny | Pause {
    const rule = this.match(call);
    const action = rule?.action ?? this.#fallback;
    if (action === 'allow') return allow();
    const why = rule?.reason ?? (rule ? `a permission rule (${describe(rule)})` : 'the default permission');
    return action === 'deny' ? deny(`${call.name} is not permitted: ${why}.`) : pause(`${call.name} needs approval: ${why}.`);
  }
}

function matchTool(p: string | RegExp, name: string): boolean {
  return p === '*' || (typeof p === 'string' ? p === name : p.test(name));
}

function matchArgs(patterns: Record<string, unknown> | undefined, args: Readonly<Record<string, unknown>>): boolean {
  if (!patterns) return true;
  return Object.entries(patterns).every(([k, p]) => {
    const v = args[k];
    if (p instanceof RegExp) {
      p.lastIndex = 0; // a /g pattern must not carry state between calls
      return v !== undefined && p.test(typeof v === 'string' ? v : JSON.stringify(v));
    }
    return JSON.stringify(v) === JSON.stringify(p);
  });
}

function describe(r: PermissionRule): string {
  const args = r.args ? ` ${Object.entries(r.args).map(([k, v]) => `${k}=${v instanceof RegExp ? String(v) : JSON.stringify(v)}`).join(' ')}` : '';
  return `${r.action} ${String(r.tool)}${args}`;
}
