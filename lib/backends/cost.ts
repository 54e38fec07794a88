import type { Usage } from './types.ts';

/** USD per million tokens. `cachedInput` defaults to `input`. */
export interface Price {
  readonly input: number;
  readonly output: number;
  readonly cachedInput?: number;
}

export type Prices = Readonly<Record<string, Price>>;

/** Adds `costUsd` when a price is known for the model (exact name, else the longest prefix: "gpt-4o" prices "gpt-4o-2024-08-06"). */
export function priced(usage: Usage, model: string | undefined, prices: Prices | undefined): Usage {
  if (!prices || !model) return usage;
  let price = prices[model];
  if (!price) {
    let best = '';
    for (const k of Object.keys(prices)) if (model.startsWith(k) && k.length > best.length) best = k;
    price = best ? prices[best] : undefined;
  }
  if (!price) return usage;
  const cached = usage.cachedInputTokens ?? 0;
  const cost = ((usage.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1e6;
  return { ...usage, costUsd: cost };
}
