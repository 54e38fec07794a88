// A deterministic stand-in for a model, so the Worker runs (and is tested) with no API key. Like a
// real model it reads the whole conversation each time: the user's last message and what the
// tools said since. It is a function of the request, so a turn resumed after an eviction gets the
// same replies.
import type { LLMBackend, LLMRequest, LLMResponse, Message } from 'looplet';

const ORDER = /\border\s*#?\s*([A-Za-z0-9-]{1,32})/i;

export function scriptedModel(delayMs = 0): LLMBackend {
  return {
    async generate(request, { signal }) {
      if (delayMs > 0) await sleep(delayMs, signal);
      return reply(request);
    },
  };
}

function reply({ messages, tools }: LLMRequest): LLMResponse {
  const at = messages.findLastIndex((m) => m.role === 'user');
  const said = messages[at]?.content ?? '';
  const last = messages.at(-1);
  const id = (name: string) => `${name}_${messages.length}`; // unique in the chat: the conversation only grows
  const call = (name: string, args: Record<string, unknown>): LLMResponse => ({ toolCalls: [{ id: id(name), name, arguments: args }] });
  const done = (answer: string) => call('done', { answer });

  if (last?.role === 'tool') {
    const asked = messages.slice(at).find((m) => m.toolCalls?.some((c) => c.id === last.toolCallId))?.toolCalls?.find((c) => c.id === last.toolCallId);
    const result = parse(last.content);
    if (asked?.name === 'lookup_order' && isOrder(result)) {
      if (/refund|money back/i.test(said)) return call('refund', { order: result.order, amount: result.amount, reason: said.slice(0, 200) });
      return done(`Order ${result.order}: ${result.item}, ${result.status}, paid $${result.amount}.`);
    }
    if (asked?.name === 'refund') {
      return done(last.content.startsWith('Denied') ? `No refund was made: ${last.content}` : `Refunded $${String((result as { amount?: unknown })?.amount)} for order ${String((result as { order?: unknown })?.order)}.`);
    }
    return done(last.content);
  }

  const order = ORDER.exec(said)?.[1];
  if (order) return call('lookup_order', { order });
  const echo = /^echo\s+(.+)$/is.exec(said)?.[1];
  if (echo && tools.some((t) => t.name === 'mcp_echo')) return call('mcp_echo', { message: echo });
  const earlier = messages.slice(0, at).filter((m: Message) => m.role === 'user');
  return done(earlier.length ? `You said "${said}". Before that, you said "${earlier[0]!.content}".` : `You said "${said}". Ask me about an order, e.g. "refund order 42".`);
}

interface OrderInfo { order: string; item: string; amount: number; status: string }

const isOrder = (v: unknown): v is OrderInfo => !!v && typeof v === 'object' && typeof (v as OrderInfo).order === 'string' && typeof (v as OrderInfo).amount === 'number';

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((ok, fail) => {
    const t = setTimeout(ok, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); fail(signal.reason); }, { once: true });
  });
}
