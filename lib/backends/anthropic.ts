import { LLMError } from '../errors.ts';
import type { Prices } from './cost.ts';
import { isJSON, post, readJSON, receive, type HttpOptions } from './http.ts';
import { redact, redactDeltas, secretsOf } from './secrets.ts';
import { jsonEvents } from './sse.ts';
import type { GenerateOptions, LLMBackend, LLMRequest, LLMResponse, LLMToolCall, Message, Usage } from './types.ts';

export interface AnthropicBackendOptions extends HttpOptions {
  apiKey?: string;
  model: string;
  /** Default `https://api.anthropic.com`. */
  baseURL?: string;
  /** Required by the API; default 4096. */
  maxTokens?: number;
  /** Stream the reply (default true): the loop then emits `llm.delta` events. */
  stream?: boolean;
  temperature?: number;
  /** Extended thinking, e.g. `{ type: 'enabled', budget_tokens: 2048 }`. */
  thinking?: Record<string, unknown>;
  /** Calling the API from a browser sends the key to the page: opt in explicitly. */
  dangerouslyAllowBrowser?: boolean;
  prices?: Prices;
  /** Extra request-body fields, merged last. */
  body?: Record<string, unknown>;
}

type Json = Record<string, unknown>;
type Block = Json & { type: string };

/** Anthropic's Messages API over fetch: tool_use / tool_result blocks, thinking blocks kept and sent back. */
export class AnthropicBackend implements LLMBackend {
  readonly model: string;
  readonly #opts: AnthropicBackendOptions;
  readonly #base: string;

  constructor(opts: AnthropicBackendOptions) {
    if (!opts || typeof opts.model !== 'string' || !opts.model) throw new TypeError('AnthropicBackend needs a `model`.');
    this.#opts = opts;
    this.model = opts.model;
    this.#base = (opts.baseURL ?? 'https://api.anthropic.com').replace(/\/+$/, '');
  }

  async generate(request: LLMRequest, { signal, onDelta }: GenerateOptions): Promise<LLMResponse> {
    const stream = this.#opts.stream ?? true;
    const headers: Record<string, string> = {
      'anthropic-version': '2023-06-01',
      ...(this.#opts.apiKey ? { 'x-api-key': this.#opts.apiKey } : {}),
      ...(this.#opts.dangerouslyAllowBrowser ? { 'anthropic-dangerous-direct-browser-access': 'true' } : {}),
      ...this.#opts.headers,
    };
    const secrets = secretsOf(this.#opts);
    const open = await post({ provider: 'anthropic', url: `${this.#base}/v1/messages`, headers, body: anthropicBody(this.#opts, request, stream), signal, secrets }, this.#opts);
    const deltas = redactDeltas(onDelta, secrets);
    return receive(open, async (res) => (stream ? readAnthropicStream(res, open.touch, deltas) : parseAnthropicMessage(await readJSON(res, 'anthropic'))), this.model, this.#opts.prices);
  }

  toJSON(): Json {
    return { backend: 'anthropic', model: this.model, baseURL: this.#base };
  }
}

export function anthropicBody(opts: AnthropicBackendOptions, request: LLMRequest, stream: boolean): Json {
  const body: Json = { model: opts.model, max_tokens: opts.maxTokens ?? 4096, messages: anthropicMessages(request.messages) };
  if (request.system) body.system = request.system;
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
    if (request.parallelToolCalls === false) body.tool_choice = { type: 'auto', disable_parallel_tool_use: true };
  }
  if (opts.temperature !== undefined) body.temperature = opts.temperature;
  if (opts.thinking) body.thinking = opts.thinking;
  if (stream) body.stream = true;
  return { ...body, ...opts.body };
}

/** Provider-neutral messages → alternating Anthropic turns (tool results, and notes after them, share one user turn). */
export function anthropicMessages(messages: readonly Message[]): Json[] {
  const out: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'assistant') {
      const kept = (m.providerData?.anthropic as Block[] | undefined) ?? []; // signed thinking blocks go back first, unchanged
      const blocks: Block[] = [...kept];
      if (m.content) blocks.push({ type: 'text', text: m.content });
      for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: parseInput(c.arguments) });
      push('assistant', blocks);
    } else if (m.role === 'tool') {
      push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content }]);
    } else {
      push('user', [{ type: 'text', text: m.content }]);
    }
  }
  return out;
}

function parseInput(args: string): Json {
  try {
    const v = JSON.parse(args) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {}; // the API takes only an object; the loop already told the model its JSON was broken
  }
}

function usageOf(u: Json | undefined, prev?: Usage): Usage | undefined {
  if (!u) return prev;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const input = num(u.input_tokens) ?? prev?.inputTokens ?? 0;
  const output = num(u.output_tokens) ?? prev?.outputTokens ?? 0;
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: input + output };
  const cached = num(u.cache_read_input_tokens) ?? prev?.cachedInputTokens;
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const thinking = num((u.output_tokens_details as Json | undefined)?.thinking_tokens) ?? prev?.reasoningTokens;
  if (thinking !== undefined) usage.reasoningTokens = thinking;
  return usage;
}

/** A whole (non-streamed) message. */
export function parseAnthropicMessage(j: unknown): LLMResponse {
  const body = (j ?? {}) as Json;
  if (body.type === 'error') throw anthropicError(body.error);
  if (!Array.isArray(body.content)) throw new LLMError('malformed', 'anthropic: the response has no content blocks.');
  const blocks = (body.content as unknown[]).filter((b): b is Block => !!b && typeof b === 'object' && !Array.isArray(b)); // what is not a block is skipped
  return assemble(blocks, body.stop_reason, usageOf(body.usage as Json | undefined), body.model);
}

function assemble(blocks: readonly Block[], stop: unknown, usage: Usage | undefined, model: unknown): LLMResponse {
  const out: LLMResponse = {};
  const text = blocks.filter((b) => b.type === 'text').map((b) => String(b.text ?? '')).join('');
  if (text) out.text = text;
  const calls: LLMToolCall[] = blocks
    .filter((b) => b.type === 'tool_use')
    .map((b) => ({ id: String(b.id ?? ''), name: String(b.name ?? ''), arguments: typeof b.input === 'string' ? (b.input || '{}') : JSON.stringify(b.input ?? {}) }));
  if (calls.length > 0) out.toolCalls = calls;
  const thinking = blocks.filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking');
  if (thinking.length > 0) {
    const r = thinking.map((b) => String(b.thinking ?? '')).join('');
    if (r) out.reasoning = r;
    out.providerData = { anthropic: thinking };
  }
  if (typeof stop === 'string') out.finishReason = stop;
  if (usage) out.usage = usage;
  if (typeof model === 'string' && model) out.model = model;
  return out;
}

/** Assembles a streamed message: blocks by index, tool input from `input_json_delta` pieces. */
export async function readAnthropicStream(res: Response, touch: () => void, onDelta?: GenerateOptions['onDelta']): Promise<LLMResponse> {
  const blocks = new Map<number, Block & { partial?: string }>();
  let usage: Usage | undefined;
  let stop: unknown;
  let model: unknown;
  let finished = false;
  let toolOrder = 0;
  const toolIndex = new Map<number, number>();
  for await (const { data: e } of jsonEvents(res, 'anthropic', touch)) {
    if (e === '[DONE]') continue;
    switch (e.type) {
      case 'message_start': {
        const m = (e.message ?? {}) as Json;
        model = m.model;
        usage = usageOf(m.usage as Json | undefined);
        break;
      }
      case 'content_block_start': {
        const i = Number(e.index);
        const start = e.content_block;
        if (!start || typeof start !== 'object') break; // not a block: skipped, as in a whole message
        const b = { ...(start as Block) };
        if (b.type === 'tool_use') {
          b.partial = '';
          toolIndex.set(i, toolOrder++);
          onDelta?.({ toolCallIndex: toolIndex.get(i)!, toolName: String(b.name ?? ''), toolCallId: String(b.id ?? '') });
        }
        blocks.set(i, b);
        break;
      }
      case 'content_block_delta': {
        const i = Number(e.index);
        const b = blocks.get(i);
        const d = (e.delta ?? {}) as Json;
        if (!b) throw new LLMError('malformed', `anthropic: a delta for block ${i}, which never started.`);
        if (d.type === 'text_delta') { b.text = String(b.text ?? '') + String(d.text ?? ''); onDelta?.({ text: String(d.text ?? '') }); }
        else if (d.type === 'input_json_delta') { b.partial = (b.partial ?? '') + String(d.partial_json ?? ''); if (d.partial_json) onDelta?.({ toolCallIndex: toolIndex.get(i)!, argumentsDelta: String(d.partial_json) }); }
        else if (d.type === 'thinking_delta') { b.thinking = String(b.thinking ?? '') + String(d.thinking ?? ''); onDelta?.({ reasoning: String(d.thinking ?? '') }); }
        else if (d.type === 'signature_delta') b.signature = String(b.signature ?? '') + String(d.signature ?? '');
        break;
      }
      case 'message_delta': {
        const d = (e.delta ?? {}) as Json;
        if (d.stop_reason !== undefined) stop = d.stop_reason;
        // later numbers win (some proxies report input tokens only here)
        usage = usageOf(e.usage as Json | undefined, usage);
        break;
      }
      case 'message_stop':
        finished = true;
        break;
      case 'error':
        throw anthropicError(e.error);
      default:
        break; // ping, content_block_stop, future event types
    }
    if (finished) break;
  }
  if (!finished) throw new LLMError('network', 'anthropic: the stream ended before message_stop.', { retriable: true });
  const ordered = [...blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => {
    if (b.type !== 'tool_use') return b;
    const partial = b.partial ?? '';
    if (partial.trim() !== '' && stop !== 'tool_use' && !isJSON(partial)) {
      throw new LLMError('malformed', `anthropic: the input of tool call "${String(b.name)}" never closed (stop reason: ${String(stop ?? 'none')}).`);
    }
    const { partial: _p, ...rest } = b;
    return { ...rest, input: partial.trim() === '' ? '{}' : partial };
  });
  return assemble(ordered, stop, usage, model);
}


function anthropicError(e: unknown): LLMError {
  const o = (e && typeof e === 'object' ? e : { message: String(e) }) as Json;
  const type = typeof o.type === 'string' ? o.type : 'error';
  const message = `anthropic: ${redact(typeof o.message === 'string' ? o.message : JSON.stringify(o))} (${type})`;
  if (type === 'overloaded_error' || type === 'api_error') return new LLMError('server', message, { retriable: true });
  if (type === 'rate_limit_error') return new LLMError('rate_limit', message, { retriable: true });
  if (type === 'authentication_error' || type === 'permission_error') return new LLMError('auth', message);
  if (/prompt is too long|context/i.test(message)) return new LLMError('context_length', message);
  return new LLMError('bad_request', message);
}
