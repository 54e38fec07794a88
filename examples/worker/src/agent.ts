// The agent: a support assistant that looks orders up and refunds them, a person approving each
// refund; plus the tools of an MCP server when MCP_URL is set. The model is OpenAI (or any
// OpenAI-compatible server) with a key, else a scripted one.
import { OpenAIBackend, ToolRegistry, type LLMBackend, type SendOptions, type ToolSpec } from 'looplet';
import { mcpClient } from 'looplet/mcp';
import type { Env } from './env.ts';
import { HttpError } from './http.ts';
import { refundOnce } from './refunds.ts';
import { scriptedModel } from './scripted-model.ts';

const SYSTEM =
  'You are the support assistant of an online shop. Look an order up before acting on it. ' +
  'To refund, call `refund` with the order and the amount paid: a person approves every refund. ' +
  'When you are finished, call `done` with your answer to the customer.';

/** Everything a turn runs with but its hooks: built once per object (an MCP server is asked for its tools once). */
export async function supportAgent(env: Env, storage: DurableObjectStorage): Promise<SendOptions> {
  if (!env.APPROVAL_SECRET) throw new HttpError(503, 'misconfigured', 'APPROVAL_SECRET is not set (wrangler secret put APPROVAL_SECRET; .dev.vars for wrangler dev).');
  const tools = new ToolRegistry().register(lookupOrder).register(refund(storage, Number(env.REFUND_DELAY_MS ?? 0)));
  if (env.MCP_URL) {
    // listen: false — no stream kept open from the object for list changes; a turn's tools stay as they were listed
    const server = mcpClient({ url: env.MCP_URL, prefix: 'mcp', listen: false, ...(env.MCP_TOKEN ? { headers: { authorization: `Bearer ${env.MCP_TOKEN}` } } : {}) });
    for (const spec of await server.listTools()) tools.register(spec);
  }
  return { llm: model(env), tools, approvalSecret: env.APPROVAL_SECRET, config: { system: SYSTEM, maxSteps: 12 } };
}

function model(env: Env): LLMBackend {
  if (!env.OPENAI_API_KEY) return scriptedModel(Number(env.SCRIPTED_DELAY_MS ?? 0));
  return new OpenAIBackend({ apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL || 'gpt-4o-mini', ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) });
}

/** Harmless: the model may call it whenever it likes. Orders are made up from their id. */
const lookupOrder: ToolSpec = {
  name: 'lookup_order',
  description: 'Look an order up by its id: the item, the amount paid and where it is.',
  parameters: { type: 'object', properties: { order: { type: 'string', pattern: '^[A-Za-z0-9-]{1,32}$' } }, required: ['order'], additionalProperties: false },
  execute: ({ order }) => {
    const id = String(order);
    const n = [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 9973, 7);
    return { order: id, item: ['a kettle', 'a lamp', 'headphones', 'a backpack'][n % 4], amount: 10 + (n % 90), status: n % 3 ? 'delivered' : 'in transit' };
  },
};

/** Moves money: `needsApproval` pauses before every call, whatever hooks run, until a signed approval comes. */
function refund(storage: DurableObjectStorage, delayMs: number): ToolSpec {
  return {
    name: 'refund',
    description: 'Refund an order. A person approves every refund before it is made.',
    parameters: {
      type: 'object',
      properties: { order: { type: 'string' }, amount: { type: 'number', exclusiveMinimum: 0, maximum: 1000 }, reason: { type: 'string', maxLength: 500 } },
      required: ['order', 'amount'],
      additionalProperties: false,
    },
    needsApproval: true,
    execute: async ({ order, amount, reason }, ctx) => {
      const made = await refundOnce(storage, `${ctx.runId}:${ctx.callId}`, { order: String(order), amount: Number(amount), ...(reason ? { reason: String(reason) } : {}) });
      // a slow payment provider (REFUND_DELAY_MS): the refund is made, its answer not in yet
      if (delayMs > 0) await new Promise((ok) => setTimeout(ok, delayMs));
      return made;
    },
  };
}
