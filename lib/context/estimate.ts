import type { Message } from '../backends/types.ts';

/**
 * A fast token estimate: about 4 characters a token, plus a few per message for the role and
 * framing. Swap in a real tokenizer where it matters (`estimate` option of the strategies).
 */
export function estimateTokens(messages: readonly Message[], system = ''): number {
  let chars = system.length;
  for (const m of messages) {
    chars += m.content.length + 16;
    if (m.toolCalls) for (const c of m.toolCalls) chars += c.name.length + c.arguments.length + 16;
  }
  return Math.ceil(chars / 4);
}

export type Estimate = (messages: readonly Message[]) => number;
