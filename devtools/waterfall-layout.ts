// The waterfall's geometry: when each model call and each tool ran, laid out in lanes so that
// calls running at the same time sit side by side. Pure, so it is tested without a browser.
import type { StepStatus } from 'looplet';
import type { RunView, StepRow } from './model.ts';

export interface Span {
  readonly kind: 'llm' | 'tool';
  /** The step a click selects (for a model call: the first step of its reply). */
  readonly step: number;
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** 0 is the model's lane; tools take lanes 1… (more than one when they overlap). */
  readonly lane: number;
  readonly status?: StepStatus;
}

export interface Waterfall {
  readonly spans: readonly Span[];
  readonly t0: number;
  readonly t1: number;
  readonly lanes: number;
}

const MAX_TOOL_LANES = 4;

/** What was laid out so far for a run: steps arrive in order, so a new batch only appends. */
interface Layout { spans: Span[]; laneEnds: number[]; seen: Set<number>; done: number; last: StepRow | undefined; min: number; max: number }
const layouts = new WeakMap<RunView, Layout>();

export function waterfall(run: RunView): Waterfall {
  let l = layouts.get(run);
  // a step replaced (a paused call decided on resume) changes what came before: lay out again
  if (!l || l.done > run.steps.length || (l.done > 0 && run.steps[l.done - 1] !== l.last)) {
    l = { spans: [], laneEnds: [], seen: new Set(), done: 0, last: undefined, min: Infinity, max: -Infinity };
    layouts.set(run, l);
  }
  for (let i = l.done; i < run.steps.length; i++) add(l, run, run.steps[i]!);
  l.done = run.steps.length;
  l.last = run.steps[l.done - 1];
  let t0 = Math.min(run.startedAt ?? Infinity, l.min), t1 = Math.max(run.endedAt ?? -Infinity, l.max);
  if (!Number.isFinite(t0)) t0 = t1 = 0;
  return { spans: l.spans, t0, t1: Math.max(t1, t0 + 1), lanes: 1 + Math.max(1, l.laneEnds.length) };
}

function add(l: Layout, run: RunView, s: StepRow): void {
  const p = run.prompts[s.prompt];
  if (!l.seen.has(s.prompt)) {
    l.seen.add(s.prompt);
    // the model call, selected through the first step of its reply
    if (p?.llmMs !== undefined) push(l, { kind: 'llm', step: s.index, name: p.response?.model ?? 'model', start: p.ts, end: p.ts + p.llmMs, lane: 0 });
  }
  const start = s.ts - s.record.timing.toolMs;
  let lane = 0;
  while (lane < l.laneEnds.length && l.laneEnds[lane]! > start) lane++;
  if (lane === l.laneEnds.length) lane = l.laneEnds.length < MAX_TOOL_LANES ? l.laneEnds.length : MAX_TOOL_LANES - 1;
  l.laneEnds[lane] = Math.max(l.laneEnds[lane] ?? 0, s.ts);
  push(l, { kind: 'tool', step: s.index, name: s.record.toolCall.name, start, end: s.ts, lane: lane + 1, status: s.record.status });
}

function push(l: Layout, span: Span): void {
  l.spans.push(span);
  if (span.start < l.min) l.min = span.start;
  if (span.end > l.max) l.max = span.end;
}

/** Ticks over [from, to] at round offsets from `origin` (1, 2 or 5 × 10^k ms apart, about `n` of them). */
export function ticks(origin: number, from: number, to: number, n = 6): number[] {
  const raw = Math.max(1, to - from) / n;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((x) => x >= raw) ?? raw;
  const out: number[] = [];
  for (let t = origin + Math.ceil((from - origin) / step) * step; t <= to; t += step) out.push(t);
  return out;
}

/** Many spans summed into one column: the steps it holds, how many failed or paused, where time went. */
export interface Bucket { start: number; end: number; first: number; last: number; steps: number; errors: number; paused: number; llm: number; tool: number }

/** Spans inside [from, to], or, when there are more than `max`, one bucket per column. */
export function visibleSpans(w: Waterfall, from: number, to: number, max = 400, columns = 120): { spans: Span[] } | { buckets: Bucket[] } {
  // one pass, no copy of the spans: the first `max` in view are kept while every one is summed
  const list: Span[] = [];
  const cols: Bucket[] = [];
  const width = (to - from) / columns;
  for (const s of w.spans) {
    if (s.end < from || s.start > to) continue;
    if (list.length <= max) list.push(s);
    const c = Math.min(columns - 1, Math.max(0, Math.floor((s.start - from) / width)));
    const b = (cols[c] ??= { start: s.start, end: s.end, first: s.step, last: s.step, steps: 0, errors: 0, paused: 0, llm: 0, tool: 0 });
    if (s.start < b.start) b.start = s.start;
    if (s.end > b.end) b.end = s.end;
    if (s.step < b.first) b.first = s.step;
    if (s.step > b.last) b.last = s.step;
    if (s.kind === 'llm') b.llm += s.end - s.start;
    else {
      b.tool += s.end - s.start;
      b.steps++;
      if (s.status === 'error' || s.status === 'denied') b.errors++;
      if (s.status === 'paused') b.paused++;
    }
  }
  if (list.length <= max) return { spans: list };
  // a range too short to split further (calls in the same millisecond) shows its first bars anyway
  if (to - from <= 2) return { spans: list.slice(0, max) };
  return { buckets: cols.filter(Boolean) };
}
