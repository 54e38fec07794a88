import type { Usage } from '../backends/types.ts';

export const zeroUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

/** Adds `b` into `a` (in place: the run keeps one running total). */
export function addUsage(a: Usage, b: Usage | undefined): void {
  if (!b) return;
  a.inputTokens += b.inputTokens || 0;
  a.outputTokens += b.outputTokens || 0;
  a.totalTokens += b.totalTokens || (b.inputTokens || 0) + (b.outputTokens || 0);
  if (b.cachedInputTokens !== undefined) a.cachedInputTokens = (a.cachedInputTokens ?? 0) + b.cachedInputTokens;
  if (b.reasoningTokens !== undefined) a.reasoningTokens = (a.reasoningTokens ?? 0) + b.reasoningTokens;
  if (b.costUsd !== undefined) a.costUsd = (a.costUsd ?? 0) + b.costUsd;
}
