import { LoopletError } from '../errors.ts';
import type { Hook, HookContext, LoopOutcome } from '../loop/types.ts';
import type { LoopEvent } from '../trace/events.ts';
import { parseJSONL } from '../trace/jsonl.ts';

/** What an eval sees: the run's events, with the outcome and steps pulled out. */
export interface TraceView {
  readonly events: readonly LoopEvent[];
  readonly outcome?: LoopOutcome;
  readonly steps: readonly Extract<LoopEvent, { type: 'step' }>['record'][];
  readonly answer?: unknown;
}

export interface EvalResult {
  readonly name: string;
  readonly score: number;
  readonly passed: boolean;
  readonly reason?: string;
}

export type EvalFn = (trace: TraceView) => number | boolean | { score: number; reason?: string; passed?: boolean } | Promise<number | boolean | { score: number; reason?: string; passed?: boolean }>;

export interface Eval {
  readonly name: string;
  readonly fn: EvalFn;
  /** Score needed to pass. Default 1 (a perfect score). */
  readonly threshold: number;
  readonly __looplet_eval: true;
}

/** An eval: a function of a trace that returns a score in [0, 1] (or true/false, or { score, reason }). */
export function defineEval(name: string, fn: EvalFn, { threshold = 1 }: { threshold?: number } = {}): Eval {
  if (typeof fn !== 'function') throw new LoopletError(`defineEval("${name}"): the eval must be a function of a trace.`);
  if (!(threshold >= 0 && threshold <= 1)) throw new LoopletError(`defineEval("${name}"): threshold ${threshold} is not a score: a number from 0 to 1.`);
  return { name, fn, threshold, __looplet_eval: true };
}

export function isEval(v: unknown): v is Eval {
  return typeof v === 'object' && v !== null && (v as Eval).__looplet_eval === true;
}

/** The evals of a module: every `defineEval` export, and every exported function named `eval*` (the counterpart of `eval_*`). */
export function discoverEvals(mod: Record<string, unknown>): Eval[] {
  const out: Eval[] = [];
  for (const [key, v] of Object.entries(mod)) {
    if (isEval(v)) out.push(v);
    else if (typeof v === 'function' && /^eval[A-Z_0-9]/.test(key)) out.push(defineEval(key, v as EvalFn));
  }
  return out;
}

export function traceView(events: readonly LoopEvent[] | string): TraceView {
  const list = typeof events === 'string' ? parseJSONL(events) : events;
  const end = [...list].reverse().find((e): e is Extract<LoopEvent, { type: 'run.end' }> => e.type === 'run.end');
  const steps = new Map<number, TraceView['steps'][number]>();
  for (const e of list) if (e.type === 'step') steps.set(e.record.index, e.record);
  return { events: list, ...(end ? { outcome: end.outcome, answer: end.outcome.answer } : {}), steps: [...steps.values()].sort((a, b) => a.index - b.index) };
}

/** Runs every eval on every trace. A throwing eval scores 0 with its error as the reason (never a silent pass). */
export async function evalRun(evals: readonly Eval[], traces: readonly (readonly LoopEvent[] | string)[]): Promise<EvalResult[][]> {
  const out: EvalResult[][] = [];
  for (const t of traces) {
    const view = traceView(t);
    const results: EvalResult[] = [];
    for (const e of evals) results.push(await score(e, view));
    out.push(results);
  }
  return out;
}

/** A score: a number from 0 to 1. Anything else (1.1, NaN, Infinity, a string) is the eval's error, and never passes. */
const inRange = (n: unknown): n is number => typeof n === 'number' && n >= 0 && n <= 1;

async function score(e: Eval, view: TraceView): Promise<EvalResult> {
  const fail = (reason: string): EvalResult => ({ name: e.name, score: 0, passed: false, reason });
  try {
    const r = await e.fn(view);
    if (typeof r === 'boolean') return { name: e.name, score: r ? 1 : 0, passed: r };
    const s = typeof r === 'number' ? r : r && typeof r === 'object' ? r.score : undefined;
    if (!inRange(s)) return fail(`the eval returned ${typeof s === 'number' ? `a score of ${s}` : JSON.stringify(typeof r === 'number' ? r : r ?? null)}: a score is a number from 0 to 1`);
    if (typeof r === 'number') return { name: e.name, score: s, passed: s >= e.threshold };
    const passed = r.passed ?? s >= e.threshold;
    return { name: e.name, score: s, passed, ...(r.reason !== undefined ? { reason: r.reason } : {}) };
  } catch (err) {
    return fail(`the eval threw: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** Scores the run as it ends and emits an `eval` event (the devtools show it on the run). */
export class EvalHook implements Hook {
  readonly name = 'EvalHook';
  readonly #evals: readonly Eval[];
  readonly #events: LoopEvent[] = [];
  results: EvalResult[] = [];

  constructor(evals: readonly Eval[]) {
    this.#evals = evals;
  }

  onEvent(e: LoopEvent): void {
    this.#events.push(e);
  }

  async onLoopEnd(ctx: HookContext, outcome: LoopOutcome): Promise<void> {
    const view = { ...traceView(this.#events), outcome, answer: outcome.answer };
    this.results = [];
    for (const e of this.#evals) this.results.push(await score(e, view));
    await ctx.emit('eval', { results: this.results });
  }
}

/**
 * One line in a test runner: scores a trace (events or JSONL) and throws an error listing every
 * failed eval. `it('still answers', () => assertEvals(evals, readFileSync('run.jsonl', 'utf8')))`.
 */
export async function assertEvals(evals: readonly Eval[], trace: readonly LoopEvent[] | string): Promise<EvalResult[]> {
  const [results] = await evalRun(evals, [trace]);
  const failed = results!.filter((r) => !r.passed);
  if (failed.length) throw new Error(`${failed.length} of ${results!.length} evals failed:\n${failed.map((r) => `  ✗ ${r.name}: ${r.score}${r.reason ? ` (${r.reason})` : ''}`).join('\n')}`);
  return results!;
}
