// OpenAI Chat Completions on the wire: the request body, a whole response, a streamed one
// (assembled from its chunks), and the errors a 200 can carry. Used by OpenAIBackend and by the
// `openai` SDK backend (looplet/openai-sdk).
import { LLMError } from '../../errors.ts';
import { isJSON } from '../http.ts';
import { redact } from '../secrets.ts';
import { jsonEvents } from '../sse.ts';
import type { GenerateOptions, LLMRequest, LLMResponse, LLMToolCall, Message, Usage } from '../types.ts';
import type { ChatOptions } from './options.ts';

type Json = Record<string, unknown>;


export function chatBody(opts: ChatOptions, request: LLMRequest, stream: boolean, officialAPI: boolean): Json {
  const messages: Json[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const m of request.messages) messages.push(chatMessage(m));
  const body: Json = { model: opts.model, messages };
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    body.tool_choice = opts.toolChoice ?? 'auto';
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (opts.temperature !== undefined) body.temperature = opts.temperature;
  // OpenAI's reasoning models refuse `max_tokens`; compatible servers mostly know only it.
  if (opts.maxTokens !== undefined) body[officialAPI ? 'max_completion_tokens' : 'max_tokens'] = opts.maxTokens;
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return { ...body, ...opts.body };
}

function chatMessage(m: Message): Json {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (m.role === 'assistant') {
    const out: Json = { role: 'assistant', content: m.content || null };
    if (m.toolCalls?.length) {
      out.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    }
    return out;
  }
  return { role: m.role, content: m.content };
}

export function chatUsage(u: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const r = u as Json;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const input = num(r.prompt_tokens) ?? num(r.input_tokens) ?? 0;
  const output = num(r.completion_tokens) ?? num(r.output_tokens) ?? 0;
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: num(r.total_tokens) ?? input + output };
  const cached = num((r.prompt_tokens_details as Json | undefined)?.cached_tokens) ?? num(r.prompt_cache_hit_tokens);
  const reasoning = num((r.completion_tokens_details as Json | undefined)?.reasoning_tokens);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

export function parseChatResponse(j: unknown): LLMResponse {
  const body = (j ?? {}) as Json;
  if (body.error) throw streamError(body.error);
  const choice = Array.isArray(body.choices) ? (body.choices[0] as Json | undefined) : undefined;
  if (!choice) throw new LLMError('malformed', 'openai: the response has no choices.');
  const msg = (choice.message ?? {}) as Json;
  const out: LLMResponse = {};
  if (typeof msg.content === 'string' && msg.content !== '') out.text = msg.content;
  const reasoning = msg.reasoning_content ?? msg.reasoning;
  if (typeof reasoning === 'string' && reasoning !== '') out.reasoning = reasoning;
  if (Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0) {
    out.toolCalls = (msg.tool_calls as Json[]).map((c) => {
      const fn = (c.function ?? {}) as Json;
      const call: LLMToolCall = { name: String(fn.name ?? ''), arguments: typeof fn.arguments === 'string' || (fn.arguments && typeof fn.arguments === 'object') ? (fn.arguments as string) : '' };
      if (typeof c.id === 'string' && c.id) call.id = c.id;
      return call;
    });
  }
  if (typeof choice.finish_reason === 'string') out.finishReason = choice.finish_reason;
  const usage = chatUsage(body.usage);
  if (usage) out.usage = usage;
  if (typeof body.model === 'string' && body.model) out.model = body.model;
  return out;
}

interface Slot {
  id: string;
  name: string;
  args: string;
  order: number;
}

/**
 * Assembles a streamed Chat Completions reply from its chunks: text, reasoning, tool calls
 * (by `index`, or by id where a server sends none), usage. Shared by the fetch backend and the SDK one.
 */
export class ChatAssembler {
  #text = '';
  #reasoning = '';
  #finish: string | undefined;
  #usage: Usage | undefined;
  #model: string | undefined;
  readonly #slots = new Map<number, Slot>();
  #last: Slot | undefined;

  readonly onDelta: GenerateOptions['onDelta'];

  constructor(onDelta?: GenerateOptions['onDelta']) {
    this.onDelta = onDelta;
  }

  push(chunk: Json): void {
    if (chunk.error) throw streamError(chunk.error);
    if (!this.#model && typeof chunk.model === 'string' && chunk.model) this.#model = chunk.model;
    const u = chatUsage(chunk.usage) ?? chatUsage((chunk.x_groq as Json | undefined)?.usage);
    if (u) this.#usage = u;
    const choice = Array.isArray(chunk.choices) ? (chunk.choices[0] as Json | undefined) : undefined;
    if (!choice) return;
    const delta = (choice.delta ?? {}) as Json;
    if (typeof delta.content === 'string' && delta.content) {
      this.#text += delta.content;
      this.onDelta?.({ text: delta.content });
    }
    const r = delta.reasoning_content ?? delta.reasoning;
    if (typeof r === 'string' && r) {
      this.#reasoning += r;
      this.onDelta?.({ reasoning: r });
    }
    if (Array.isArray(delta.tool_calls)) for (const tc of delta.tool_calls as Json[]) this.#toolDelta(tc);
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.#finish = choice.finish_reason;
  }

  #toolDelta(tc: Json): void {
    const fn = (tc.function ?? {}) as Json;
    const id = typeof tc.id === 'string' ? tc.id : '';
    let slot: Slot | undefined;
    if (typeof tc.index === 'number') slot = this.#slots.get(tc.index);
    // No index (Mistral): a new id opens a new call, anything else continues the last one.
    else slot = id && (!this.#last || (this.#last.id && this.#last.id !== id)) ? undefined : this.#last;
    if (!slot) {
      slot = { id: '', name: '', args: '', order: this.#slots.size };
      this.#slots.set(typeof tc.index === 'number' ? tc.index : 1e9 + this.#slots.size, slot);
    }
    this.#last = slot;
    if (id && !slot.id) slot.id = id; // continuation chunks may carry "" (Alibaba)
    if (typeof fn.name === 'string' && fn.name && !slot.name) {
      slot.name = fn.name;
      this.onDelta?.({ toolCallIndex: slot.order, toolName: fn.name, toolCallId: slot.id });
    }
    if (typeof fn.arguments === 'string' && fn.arguments) {
      slot.args += fn.arguments;
      this.onDelta?.({ toolCallIndex: slot.order, argumentsDelta: fn.arguments });
    }
  }

  /** The whole reply. `sawDone`: the stream ended with `[DONE]` (or the SDK's iterator finished). */
  finish(sawDone: boolean): LLMResponse {
    const finish = this.#finish;
    if (!sawDone && !finish) throw new LLMError('network', 'openai: the stream ended before the reply was complete.', { retriable: true });
    const calls = [...this.#slots.values()].sort((a, b) => a.order - b.order);
    const complete = finish === 'tool_calls' || finish === 'stop' || finish === 'function_call';
    for (const c of calls) {
      if (!complete && c.args.trim() !== '' && !isJSON(c.args)) {
        throw new LLMError('malformed', `openai: the arguments of tool call "${c.name}" never closed (finish reason: ${finish ?? 'none'}).`);
      }
    }
    const out: LLMResponse = {};
    if (this.#text) out.text = this.#text;
    if (this.#reasoning) out.reasoning = this.#reasoning;
    if (calls.length > 0) out.toolCalls = calls.map((c) => (c.id ? { id: c.id, name: c.name, arguments: c.args } : { name: c.name, arguments: c.args }));
    if (finish) out.finishReason = finish;
    if (this.#usage) out.usage = this.#usage;
    if (this.#model) out.model = this.#model;
    return out;
  }
}

/** Reads a streamed Chat Completions response. */
export async function readChatStream(res: Response, touch: () => void, onDelta?: GenerateOptions['onDelta']): Promise<LLMResponse> {
  const asm = new ChatAssembler(onDelta);
  let sawDone = false;
  for await (const { event, data } of jsonEvents(res, 'openai', touch)) {
    if (data === '[DONE]') { sawDone = true; break; }
    asm.push(event === 'error' && !data.error ? { error: data } : data);
  }
  return asm.finish(sawDone);
}

/** An error object inside a 200 stream or body. */
export function streamError(e: unknown): LLMError {
  const o = (e && typeof e === 'object' ? e : { message: String(e) }) as Json;
  const status = typeof o.status_code === 'number' ? o.status_code : undefined;
  const code = [o.type, o.code].filter((x) => typeof x === 'string').join(' ');
  const message = `openai: ${redact(typeof o.message === 'string' ? o.message : JSON.stringify(o))}${code ? ` (${code})` : ''}`;
  if (/rate_limit|insufficient_quota/.test(code)) return new LLMError('rate_limit', message, { retriable: !/insufficient_quota/.test(code), ...(status ? { status } : {}) });
  if (/context_length/.test(code)) return new LLMError('context_length', message, status ? { status } : {});
  if (status && status >= 500) return new LLMError('server', message, { status, retriable: true });
  return new LLMError(status && status < 500 ? 'bad_request' : 'server', message, { ...(status ? { status } : {}), retriable: !status });
}
