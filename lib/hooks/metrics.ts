import type { Usage } from '../backends/types.ts';
import type { Hook, HookContext, LoopOutcome } from '../loop/types.ts';
import type { LoopEvent } from '../trace/events.ts';

export interface ToolMetrics {
  calls: number;
  errors: number;
  denied: number;
  p50Ms: number;
  p95Ms: number;
  totalMs: number;
}

export interface MetricsSummary {
  steps: number;
  llmCalls: number;
  llmMs: { p50: number; p95: number; total: number };
  tools: Record<string, ToolMetrics>;
  usage: Usage;
  status?: string;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Per-tool calls, errors and latency (p50/p95), model time, tokens and cost; a `metrics` event at run end. */
export class MetricsHook implements Hook {
  readonly name = 'MetricsHook';
  readonly #tool = new Map<string, { ms: number[]; errors: number; denied: number }>();
  readonly #llm: number[] = [];
  #usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  #steps = 0;
  #status: string | undefined;

  onEvent(e: LoopEvent): void {
    if (e.type === 'llm.response') this.#llm.push(e.durationMs);
    else if (e.type === 'step' && e.record.status !== 'paused') {
      const r = e.record;
      const t = this.#tool.get(r.toolCall.name) ?? { ms: [], errors: 0, denied: 0 };
      t.ms.push(r.toolResult.durationMs);
      if (r.status === 'error') t.errors++;
      if (r.status === 'denied') t.denied++;
      this.#tool.set(r.toolCall.name, t);
      this.#steps++;
    } else if (e.type === 'run.end') {
      this.#usage = e.usage;
      this.#status = e.outcome.status;
    }
  }

  summary(): MetricsSummary {
    const tools: Record<string, ToolMetrics> = {};
    for (const [name, t] of this.#tool) {
      tools[name] = { calls: t.ms.length, errors: t.errors, denied: t.denied, p50Ms: pct(t.ms, 50), p95Ms: pct(t.ms, 95), totalMs: t.ms.reduce((a, b) => a + b, 0) };
    }
    return {
      steps: this.#steps,
      llmCalls: this.#llm.length,
      llmMs: { p50: pct(this.#llm, 50), p95: pct(this.#llm, 95), total: this.#llm.reduce((a, b) => a + b, 0) },
      tools,
      usage: this.#usage,
      ...(this.#status ? { status: this.#status } : {}),
    };
  }

  async onLoopEnd(ctx: HookContext, outcome: LoopOutcome): Promise<void> {
    this.#usage = outcome.usage;
    this.#status = outcome.status;
    await ctx.emit('metrics', { ...this.summary() });
  }
}
