import type { Message } from '../backends/types.ts';
import { errorMessage, LoopletError } from '../errors.ts';
import type { CompactResult, Hook, HookContext } from '../loop/types.ts';
import { estimateTokens, type Estimate } from './estimate.ts';
import type { Strategy } from './strategies.ts';

export interface ThresholdCompactOptions {
  /** The context budget in tokens (the model's window minus room for the reply). */
  budgetTokens: number;
  /** Compact when the prompt passes this fraction of the budget. Default 0.8. */
  threshold?: number;
  strategy: Strategy;
  /** Default: `estimateTokens`. */
  estimate?: Estimate;
}

/** Compacts the conversation before a prompt that passes the threshold, and on a context-length error. */
export class ThresholdCompactHook implements Hook {
  readonly name = 'ThresholdCompactHook';
  readonly #o: Required<ThresholdCompactOptions>;

  constructor(opts: ThresholdCompactOptions) {
    this.#o = { threshold: 0.8, estimate: (m) => estimateTokens(m), ...opts };
    const { budgetTokens, threshold, strategy } = this.#o;
    if (!(budgetTokens > 0) || !Number.isFinite(budgetTokens)) throw new LoopletError('ThresholdCompactHook: budgetTokens must be a positive number of tokens.');
    if (!(threshold > 0 && threshold <= 1)) throw new LoopletError('ThresholdCompactHook: threshold is a fraction of the budget, above 0 and at most 1.');
    if (typeof strategy !== 'function') throw new LoopletError('ThresholdCompactHook: strategy must be a strategy, e.g. compactChain(summarize({ llm }), truncate()).');
  }

  async compact(ctx: HookContext, messages: readonly Message[], reason: 'threshold' | 'emergency'): Promise<CompactResult | undefined> {
    const { budgetTokens, threshold, strategy, estimate } = this.#o;
    const before = estimate(messages);
    if (reason === 'threshold' && before <= budgetTokens * threshold) return undefined;
    // an emergency means the real window is smaller than we thought: aim lower
    const budget = reason === 'emergency' ? Math.floor(Math.min(before, budgetTokens) * 0.6) : Math.floor(budgetTokens * threshold * 0.75);
    const failures: { strategy: string; message: string }[] = [];
    const onFailure = (name: string, error: unknown) => void failures.push({ strategy: name, message: errorMessage(error) });
    const out = await strategy(messages, { budgetTokens: budget, estimate, signal: ctx.signal, onFailure });
    const after = estimate(out);
    const name = strategy.strategyName ?? 'custom';
    const extra = failures.length > 0 ? { failures } : {};
    // Nothing smaller: no change, but failed stages are still reported (as a compact event).
    if (after >= before) return failures.length > 0 ? { messages, strategy: name, tokensBefore: before, tokensAfter: before, removedMessages: 0, ...extra } : undefined;
    return { messages: out, strategy: name, tokensBefore: before, tokensAfter: after, removedMessages: Math.max(0, messages.length - out.length), ...extra };
  }
}

/** Tells the model how much room is left, once it is getting tight. */
export class ContextPressureHook implements Hook {
  readonly name = 'ContextPressureHook';
  readonly #budget: number;
  readonly #from: number;
  readonly #estimate: Estimate;

  constructor({ budgetTokens, warnAt = 0.6, estimate }: { budgetTokens: number; warnAt?: number; estimate?: Estimate }) {
    this.#budget = budgetTokens;
    this.#from = warnAt;
    this.#estimate = estimate ?? ((m) => estimateTokens(m));
  }

  prePrompt(_ctx: HookContext, messages: readonly Message[]): string | undefined {
    const used = this.#estimate(messages) / this.#budget;
    if (used < this.#from) return undefined;
    return `Context: about ${Math.round(used * 100)}% of your context budget is used. Be concise; finish soon or keep only what you need.`;
  }
}
