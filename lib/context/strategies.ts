// Compaction strategies: plain functions from a conversation to a smaller one. They never split
// an assistant tool call from its results (an orphaned tool result is an API error everywhere).
import type { LLMBackend, Message } from '../backends/types.ts';
import { LoopletError } from '../errors.ts';
import { estimateTokens, type Estimate } from './estimate.ts';

export interface CompactContext {
  /** The token budget the conversation must fit. */
  readonly budgetTokens: number;
  readonly estimate: Estimate;
  readonly signal?: AbortSignal;
  /** Told of each stage of a chain that failed (the chain goes on without it). */
  readonly onFailure?: (strategy: string, error: unknown) => void;
}

export type Strategy = ((messages: readonly Message[], ctx: CompactContext) => Message[] | Promise<Message[]>) & { readonly strategyName?: string };

const named = <T extends Strategy>(name: string, f: T): T => Object.assign(f, { strategyName: name });

/** Where a cut may go: not between an assistant's tool calls and their results. */
function safeCut(messages: readonly Message[], i: number): number {
  while (i > 0 && i < messages.length && messages[i]!.role === 'tool') i--;
  return i;
}

/** Replaces the content of all but the last `keepLast` tool results with a short stub. */
export function pruneToolResults({ keepLast = 4, stub = (n: number) => `[result pruned: ${n} characters]` }: { keepLast?: number; stub?: (chars: number) => string } = {}): Strategy {
  return named('pruneToolResults', (messages) => {
    const toolAt = messages.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
    const prune = new Set(toolAt.slice(0, Math.max(0, toolAt.length - keepLast)));
    return messages.map((m, i) => (prune.has(i) && !m.content.startsWith('[result pruned') ? { ...m, content: stub(m.content.length) } : m));
  });
}

/** Keeps the first `keepFirst` messages (the task) and the last `keepLast`, with a note of what was dropped. */
export function truncate({ keepFirst = 1, keepLast = 20 }: { keepFirst?: number; keepLast?: number } = {}): Strategy {
  return named('truncate', (messages) => {
    if (messages.length <= keepFirst + keepLast) return [...messages];
    const head = safeCut(messages, keepFirst) || Math.min(keepFirst, messages.length);
    const tailStart = Math.max(head, safeCut(messages, messages.length - keepLast));
    const dropped = tailStart - head;
    if (dropped <= 0) return [...messages];
    return [...messages.slice(0, head), { role: 'user', content: `[${dropped} earlier messages were removed to fit the context window.]` }, ...messages.slice(tailStart)];
  });
}

/**
 * Asks a model to summarise the middle of the conversation (the task, decisions taken, results
 * that matter, open threads) and puts the summary in its place. The first `keepFirst` and last
 * `keepLast` messages stay as they are.
 */
export function summarize({ llm, maxTokens = 800, keepFirst = 1, keepLast = 8 }: { llm: LLMBackend; maxTokens?: number; keepFirst?: number; keepLast?: number }): Strategy {
  return named('summarize', async (messages, ctx) => {
    if (messages.length <= keepFirst + keepLast + 1) return [...messages];
    const head = safeCut(messages, keepFirst) || keepFirst;
    const tailStart = Math.max(head, safeCut(messages, messages.length - keepLast));
    const middle = messages.slice(head, tailStart);
    if (middle.length === 0) return [...messages];
    const transcript = middle.map((m) => {
      const calls = m.toolCalls?.map((c) => ` → ${c.name}(${c.arguments})`).join('') ?? '';
      return `[${m.role}${m.name ? ` ${m.name}` : ''}] ${m.content}${calls}`;
    }).join('\n');
    const res = await llm.generate({
      system: `Summarise this part of an agent's work in at most ${maxTokens} tokens. Keep: the task, every decision taken and why, results the agent still needs (exact values, ids, paths), and open threads. Plain text.`,
      messages: [{ role: 'user', content: `Task: ${messages[0]?.content ?? ''}\n\nTranscript to summarise:\n${transcript}` }],
      tools: [],
    }, { signal: ctx.signal ?? new AbortController().signal });
    const summary = res.text?.trim() || '(no summary)';
    return [...messages.slice(0, head), { role: 'user', content: `Summary of ${middle.length} earlier messages:\n${summary}` }, ...messages.slice(tailStart)];
  });
}

/**
 * Runs strategies in order until the conversation fits the budget. A stage that fails (a
 * summariser whose model is down) is reported through `ctx.onFailure` and skipped: the next runs.
 */
export function compactChain(...strategies: Strategy[]): Strategy {
  if (strategies.length === 0) throw new LoopletError('compactChain() needs at least one strategy, e.g. compactChain(summarize({ llm }), truncate()).');
  if (strategies.some((s) => typeof s !== 'function')) throw new LoopletError('compactChain() takes strategies: functions such as truncate() or summarize({ llm }).');
  const chain = async (messages: readonly Message[], ctx: CompactContext): Promise<Message[]> => {
    let out = [...messages];
    for (const s of strategies) {
      if (ctx.estimate(out) <= ctx.budgetTokens) break;
      try {
        const next = await s(out, ctx);
        if (Array.isArray(next)) out = next;
        else throw new TypeError(`it returned ${typeof next}, not a message list`);
      } catch (error) {
        ctx.onFailure?.(s.strategyName ?? 'custom', error);
      }
    }
    return out;
  };
  return named(`compactChain(${strategies.map((s) => s.strategyName ?? 'custom').join(', ')})`, chain);
}

export { estimateTokens };
