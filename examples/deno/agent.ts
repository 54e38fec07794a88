// The support agent: `lookup_order` is harmless, `refund` needs a human's approval. The model is
// OpenAI (or any OpenAI-compatible server) when OPENAI_API_KEY is set, a scripted one otherwise.
import { OpenAIBackend, type LLMBackend, type LLMRequest, type LLMResponse, type LoopConfig, type ToolSpec } from 'looplet';

const ORDERS: Record<string, { item: string; amount: number }> = {
  'A-1001': { item: 'kettle', amount: 39 },
  'A-1002': { item: 'teapot', amount: 25 },
};

export const tools: readonly ToolSpec[] = [
  {
    name: 'lookup_order',
    description: 'Look an order up by its number (e.g. A-1001).',
    parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
    execute: ({ order }) => {
      const found = ORDERS[String(order)];
      return found ? { order, ...found } : { order, error: 'no such order' };
    },
  },
  {
    name: 'refund',
    description: 'Refund an order. A human approves every refund.',
    needsApproval: true, // the loop pauses before every call, whatever hooks are installed
    parameters: { type: 'object', properties: { order: { type: 'string' }, amount: { type: 'number' } }, required: ['order', 'amount'] },
    execute: ({ order, amount }) => ({ refunded: order, amount }),
  },
];

export const config: LoopConfig = {
  maxSteps: 8,
  system: 'You are a support agent for a small shop. Look an order up before acting on it. Refunds need a human\'s approval. Finish with done(answer).',
};

/** OpenAI when OPENAI_API_KEY is set (OPENAI_BASE_URL and OPENAI_MODEL optional), else the scripted model. */
export function model(env: { get(name: string): string | undefined }): LLMBackend {
  const apiKey = env.get('OPENAI_API_KEY');
  if (!apiKey) return scripted;
  const baseURL = env.get('OPENAI_BASE_URL');
  return new OpenAIBackend({ apiKey, model: env.get('OPENAI_MODEL') ?? 'gpt-4o-mini', ...(baseURL ? { baseURL } : {}) });
}

/**
 * A policy over the current turn's messages (those after the last user message), so a resumed
 * run — in another process — gets the same replies. "refund" in the message starts the refund
 * flow; anything else is echoed, with how many messages the chat holds.
 */
const scripted: LLMBackend = { generate: (req) => Promise.resolve(reply(req)) };

function reply(req: LLMRequest): LLMResponse {
  const start = req.messages.findLastIndex((m) => m.role === 'user');
  const message = req.messages[start]?.content ?? '';
  const results = new Map(req.messages.slice(start).filter((m) => m.role === 'tool').map((m) => [m.name, m.content]));
  const call = (name: string, args: Record<string, unknown>): LLMResponse => ({ toolCalls: [{ id: `${name}-${req.messages.length}`, name, arguments: args }] });
  if (!/refund/i.test(message)) {
    const said = req.messages.filter((m) => m.role === 'user').length;
    return call('done', { answer: `You said: ${message} (message ${said} of this chat)` });
  }
  const order = /\b[A-Z]-\d{4}\b/.exec(message)?.[0] ?? 'A-1001';
  if (!results.has('lookup_order')) return call('lookup_order', { order });
  if (!results.has('refund')) return call('refund', { order, amount: ORDERS[order]?.amount ?? 0 });
  return call('done', { answer: `Refund of ${order}: ${results.get('refund')}` });
}
