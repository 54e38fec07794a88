// The support agent behind the chat: look up an order, refund it after a human approves.
// On OPENAI_API_KEY / OPENAI_BASE_URL it talks to that endpoint; otherwise a scripted model
// streams its replies token by token, so the page works with no key.
import { OpenAIBackend, ToolRegistry, type GenerateOptions, type LLMBackend, type LLMRequest, type LLMResponse } from 'looplet';

const ORDERS: Record<string, { item: string; amount: number }> = {
  A1: { item: 'Blue kettle', amount: 42 },
  B7: { item: 'Desk lamp', amount: 19 },
};

export const tools = new ToolRegistry()
  .register({
    name: 'lookup_order',
    description: 'Look up an order by its id.',
    parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
    execute: ({ order }) => ORDERS[String(order)] ?? { error: `No order ${String(order)}.` },
  })
  .register({
    name: 'refund',
    description: 'Refund an order in full. Moves money: a human approves every call.',
    parameters: { type: 'object', properties: { order: { type: 'string' }, amount: { type: 'number' } }, required: ['order', 'amount'] },
    needsApproval: true,
    execute: ({ order, amount }) => ({ refunded: order, amount }),
  });

export const SYSTEM = 'You are a support agent. Look orders up before refunding them; finish with done({ answer }) in one or two sentences.';

/** A model from the environment, or the scripted one. */
export function model(env: Record<string, string | undefined>, delayMs = 15): LLMBackend {
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) {
    return new OpenAIBackend({ baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL ?? 'gpt-4o-mini' });
  }
  return scriptedModel(delayMs);
}

/**
 * Replies from the conversation alone (so a resumed or reloaded chat goes on the same way),
 * streamed in small pieces like a real provider: text, then each call's name and arguments.
 */
export function scriptedModel(delayMs: number): LLMBackend {
  return {
    async generate(request: LLMRequest, { signal, onDelta }: GenerateOptions): Promise<LLMResponse> {
      const reply = script(request);
      const sleep = () => new Promise((ok) => setTimeout(ok, delayMs));
      for (const piece of (reply.text ?? '').match(/\S+\s*/g) ?? []) {
        signal.throwIfAborted();
        onDelta?.({ text: piece });
        await sleep();
      }
      for (const [i, c] of (reply.toolCalls ?? []).entries()) {
        onDelta?.({ toolCallIndex: i, toolName: c.name, toolCallId: c.id });
        const args = String(c.arguments);
        for (let at = 0; at < args.length; at += 8) onDelta?.({ toolCallIndex: i, argumentsDelta: args.slice(at, at + 8) });
        await sleep();
      }
      return reply;
    },
  };
}

function script(request: LLMRequest): LLMResponse {
  const msgs = request.messages;
  const turn = msgs.filter((m) => m.role === 'user').length;
  const user = [...msgs].reverse().find((m) => m.role === 'user')?.content ?? '';
  const since = msgs.slice(msgs.lastIndexOf([...msgs].reverse().find((m) => m.role === 'user')!));
  const results = since.filter((m) => m.role === 'tool');
  const id = (name: string) => `call_${turn}_${results.length}_${name}`;
  const call = (name: string, args: object, text?: string): LLMResponse => ({
    ...(text ? { text } : {}),
    toolCalls: [{ id: id(name), name, arguments: JSON.stringify(args) }],
    usage: { inputTokens: 40 * msgs.length, outputTokens: 20, totalTokens: 40 * msgs.length + 20 },
  });
  const order = /\b([A-Z]\d+)\b/.exec(user)?.[1];
  const last = results.at(-1);
  if (!order) return call('done', { answer: turn > 1 ? `This chat has ${turn} messages from you so far. Ask me to refund an order, e.g. A1.` : 'Hello! Tell me which order to refund, e.g. A1.' });
  if (!results.length) return call('lookup_order', { order }, `Let me look up order ${order}.`);
  if (results.length === 1) {
    const found = JSON.parse(last!.content) as { amount?: number; item?: string; error?: string };
    if (found.error || found.amount === undefined) return call('done', { answer: found.error ?? `I could not find order ${order}.` });
    return call('refund', { order, amount: found.amount }, `Order ${order} is a ${found.item} for $${found.amount}. I'll refund it.`);
  }
  const refused = /denied|reject|not approved/i.test(last!.content) || last!.content.startsWith('Error');
  return call('done', { answer: refused ? `The refund of ${order} was not approved, so nothing was refunded.` : `Refunded order ${order} in full.` });
}
