// The waterfall's geometry: when each model call and each tool ran, laid out in lanes so that
// calls running at the same time sit side by side. Pure, so it is tested without a browser.
import type { StepStatus } from 'looplet';
import type { RunView } from './model.ts';

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

export function waterfall(run: RunView): Waterfall {
  const spans: Span[] = [];
  const firstStep = new Map<number, number>();
  for (const s of run.steps) if (!firstStep.has(s.prompt)) firstStep.set(s.prompt, s.index);
  run.prompts.forEach((p, k) => {
    const step = firstStep.get(k);
    if (step === undefined || p.llmMs === undefined) return;
    spans.push({ kind: 'llm', step, name: p.response?.model ?? 'model', start: p.ts, end: p.ts + p.llmMs, lane: 0 });
  });
  const laneEnds: number[] = [];
  for (const s of run.steps) {
    const toolMs = s.record.timing.toolMs;
    const start = s.ts - toolMs;
    let lane = laneEnds.findIndex((end) => end <= start);
    if (lane < 0) lane = laneEnds.length < MAX_TOOL_LANES ? laneEnds.length : MAX_TOOL_LANES - 1;
    laneEnds[lane] = Math.max(laneEnds[lane] ?? 0, s.ts);
    spans.push({ kind: 'tool', step: s.index, name: s.record.toolCall.name, start, end: s.ts, lane: lane + 1, status: s.record.status });
  }
  let t0 = run.startedAt ?? Infinity, t1 = run.endedAt ?? -Infinity;
  for (const s of spans) { if (s.start < t0) t0 = s.start; if (s.end > t1) t1 = s.end; }
  if (!Number.isFinite(t0)) t0 = t1 = 0;
  return { spans, t0, t1: Math.max(t1, t0 + 1), lanes: 1 + Math.max(1, laneEnds.length) };
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
  const inView = w.spans.filter((s) => s.end >= from && s.start <= to);
  // a range too short to split further (calls in the same millisecond) shows its bars anyway
  if (inView.length <= max || to - from <= 2) return { spans: inView.slice(0, max * 4) };
  const width = (to - from) / columns;
  const cols: Bucket[] = [];
  for (const s of inView) {
    const c = Math.min(columns - 1, Math.max(0, Math.floor((s.start - from) / width)));
    const b = (cols[c] ??= { start: s.start, end: s.end, first: s.step, last: s.step, steps: 0, errors: 0, paused: 0, llm: 0, tool: 0 });
    b.start = Math.min(b.start, s.start);
    b.end = Math.max(b.end, s.end);
    b.first = Math.min(b.first, s.step);
    b.last = Math.max(b.last, s.step);
    if (s.kind === 'llm') b.llm += s.end - s.start;
    else {
      b.tool += s.end - s.start;
      b.steps++;
      if (s.status === 'error' || s.status === 'denied') b.errors++;
      if (s.status === 'paused') b.paused++;
    }
  }
  return { buckets: cols.filter(Boolean) };
}
