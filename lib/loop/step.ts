import type { StepJSON, StepStatus, StepTiming, ToolError, Usage } from '../shapes.ts';
import { safeJSON } from '../util/json.ts';

export type { StepJSON, StepStatus, StepTiming } from '../shapes.ts';

export interface StepToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments the tool ran with (after any rewrite); `{}` when the model's could not be parsed. */
  readonly args: Readonly<Record<string, unknown>>;
}

export interface StepToolResult {
  readonly data?: unknown;
  readonly error?: ToolError;
  readonly durationMs: number;
}

/** One tool call and its outcome: an immutable record you can print, save and diff. */
export class Step {
  readonly index: number;
  readonly status: StepStatus;
  readonly toolCall: StepToolCall;
  readonly toolResult: StepToolResult;
  readonly usage?: Usage;
  readonly timing: StepTiming;

  constructor(init: StepJSON) {
    this.index = init.index;
    this.status = init.status;
    this.toolCall = Object.freeze({ ...init.toolCall });
    this.toolResult = Object.freeze({ ...init.toolResult });
    if (init.usage) this.usage = Object.freeze({ ...init.usage });
    this.timing = Object.freeze({ ...init.timing });
    Object.freeze(this);
  }

  /** `#1 ✓ greet(name='Alice') → 1 keys [0ms]` */
  pretty(): string {
    const mark = this.status === 'ok' ? '✓' : this.status === 'paused' ? '⏸' : '✗';
    const { error, data, durationMs } = this.toolResult;
    const result = error
      ? `${this.status === 'denied' ? 'DENIED' : this.status === 'paused' ? 'PAUSED' : 'ERROR'}: ${clip(error.message, 80)}`
      : summarize(data);
    return `#${this.index} ${mark} ${this.toolCall.name}(${formatArgs(this.toolCall.args)}) → ${result} [${Math.round(durationMs)}ms]`;
  }

  toJSON(): StepJSON {
    const json: StepJSON = {
      index: this.index,
      status: this.status,
      toolCall: { ...this.toolCall, args: { ...this.toolCall.args } },
      toolResult: { ...this.toolResult },
      timing: { ...this.timing },
    };
    if (this.usage) json.usage = { ...this.usage };
    return json;
  }

  static fromJSON(json: StepJSON): Step {
    return new Step(json);
  }
}

function formatArgs(args: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    if (k.startsWith('__')) continue; // private hints (e.g. __reasoning) are not arguments
    parts.push(`${k}=${formatValue(v)}`);
  }
  return parts.join(', ');
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return `'${clip(v, 40)}'`;
  if (v === undefined) return 'undefined';
  return clip(safeJSON(v), 40);
}

function summarize(data: unknown): string {
  if (data === undefined || data === null) return 'ok';
  if (Array.isArray(data)) return `${data.length} items`;
  if (typeof data === 'object') return `${Object.keys(data).length} keys`;
  if (typeof data === 'string') return `'${clip(data, 60)}'`;
  return clip(String(data), 60);
}

function clip(s: string, n: number): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > n ? flat.slice(0, n - 1) + '…' : flat;
}
