// OpenAI's Responses API (`/v1/responses`), used by `new OpenAIBackend({ api: 'responses' })`:
// function_call items out, function_call_output items back, reasoning items kept and replayed.
import { LLMError } from '../../errors.ts';
import { isJSON, post, readJSON, receive } from '../http.ts';
import { redact, secretsOf } from '../secrets.ts';
import { jsonEvents } from '../sse.ts';
import type { GenerateOptions, LLMDelta, LLMRequest, LLMResponse, LLMToolCall, Message, Usage } from '../types.ts';
import type { OpenAIBackendOptions } from './options.ts';

type Json = Record<string, unknown>;
type Item = Json & { type?: string };

/** `OpenAIBackend.generate` with `api: 'responses'`. */
export async function responsesGenerate(
  opts: OpenAIBackendOptions,
  base: string,
  headers: Record<string, string>,
  request: LLMRequest,
  signal: AbortSignal,
  onDelta?: (d: LLMDelta) => void,
): Promise<LLMResponse> {
  const stream = opts.stream ?? true;
  const body = responsesBody(opts, request, stream);
  const open = await post({ provider: 'openai', url: `${base}/responses`, headers, body, signal, secrets: secretsOf(opts) }, opts);
  return receive(open, async (res) => (stream ? readResponsesStream(res, open.touch, onDelta) : parseResponse(await readJSON(res, 'openai'))), opts.model, opts.prices);
}

export function responsesBody(opts: OpenAIBackendOptions, request: LLMRequest, stream: boolean): Json {
  const body: Json = { model: opts.model };
  if (request.system) body.instructions = request.system;
  body.input = responsesInput(request.messages);
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters }));
    body.tool_choice = opts.toolChoice ?? 'auto';
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (opts.temperature !== undefined) body.temperature = opts.temperature;
  if (opts.maxTokens !== undefined) body.max_output_tokens = opts.maxTokens;
  if (stream) body.stream = true;
  body.store = false;
  const out: Json = { ...body, ...opts.body };
  // Nothing is stored server-side, so reasoning items can only go back with their encrypted content.
  if (out.store === false && out.include === undefined) out.include = ['reasoning.encrypted_content'];
  return out;
}

function responsesInput(messages: readonly Message[]): Json[] {
  const out: Json[] = [];
  for (const m of messages) {
    if (m.role === 'tool') {
      out.push({ type: 'function_call_output', call_id: m.toolCallId ?? '', output: m.content });
    } else if (m.role === 'assistant') {
      // reasoning items (with their encrypted content) go back unchanged, before what they led to
      const kept = m.providerData?.openaiResponses;
      if (Array.isArray(kept)) for (const it of kept) if (it && typeof it === 'object') out.push(it as Json);
      if (m.content) out.push({ role: 'assistant', content: m.content });
      for (const c of m.toolCalls ?? []) out.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: c.arguments });
    } else {
      out.push({ role: m.role, content: m.content });
    }
  }
  return out;
}

function responsesUsage(u: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const r = u as Json;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const input = num(r.input_tokens) ?? 0;
  const output = num(r.output_tokens) ?? 0;
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: num(r.total_tokens) ?? input + output };
  const cached = num((r.input_tokens_details as Json | undefined)?.cached_tokens);
  const reasoning = num((r.output_tokens_details as Json | undefined)?.reasoning_tokens);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

/** A whole response object (non-streamed). */
export function parseResponse(j: unknown): LLMResponse {
  const r = (j && typeof j === 'object' ? j : {}) as Json;
  if (r.error && typeof r.error === 'object') throw responsesError(r.error);
  if (r.status === 'failed') throw responsesError({ message: 'the response failed' });
  if (!Array.isArray(r.output)) throw new LLMError('malformed', 'openai: the response has no output items.');
  return assemble(r.output as Item[], r);
}

/** The reply the output items (in order) and the final response object make. */
function assemble(items: readonly Item[], response: Json): LLMResponse {
  let text = '';
  const calls: LLMToolCall[] = [];
  const reasoningItems: Item[] = [];
  const summaries: string[] = [];
  for (const it of items) {
    if (!it || typeof it !== 'object') continue;
    if (it.type === 'message' && Array.isArray(it.content)) {
      for (const p of it.content as Json[]) if (p && p.type === 'output_text' && typeof p.text === 'string') text += p.text;
    } else if (it.type === 'function_call') {
      const call: LLMToolCall = { name: String(it.name ?? ''), arguments: typeof it.arguments === 'string' ? it.arguments : JSON.stringify(it.arguments ?? {}) };
      const id = typeof it.call_id === 'string' && it.call_id ? it.call_id : typeof it.id === 'string' ? it.id : '';
      calls.push(id ? { id, ...call } : call);
    } else if (it.type === 'reasoning') {
      reasoningItems.push(it);
      if (Array.isArray(it.summary)) for (const s of it.summary as Json[]) if (s && typeof s.text === 'string' && s.text) summaries.push(s.text);
    }
  }
  const out: LLMResponse = {};
  if (text) out.text = text;
  if (calls.length > 0) out.toolCalls = calls;
  if (summaries.length > 0) out.reasoning = summaries.join('\n\n');
  if (reasoningItems.length > 0) out.providerData = { openaiResponses: reasoningItems };
  const reason = (response.incomplete_details as Json | null | undefined)?.reason;
  const status = typeof reason === 'string' && reason ? reason : response.status;
  if (typeof status === 'string' && status) out.finishReason = status;
  const usage = responsesUsage(response.usage);
  if (usage) out.usage = usage;
  if (typeof response.model === 'string' && response.model) out.model = response.model;
  return out;
}

/**
 * Assembles a streamed response from its events, by `output_index`. An item's final form
 * (`response.output_item.done`) wins over what its deltas built; an item that never got one
 * keeps what its deltas built (text, arguments, reasoning summary).
 */
export async function readResponsesStream(res: Response, touch: () => void, onDelta?: GenerateOptions['onDelta']): Promise<LLMResponse> {
  const items = new Map<number, Item>();
  const callIndex = new Map<number, number>(); // output_index → tool call index (reply order)
  let final: Json | undefined;
  const item = (at: number, type: string): Item => {
    let it = items.get(at);
    if (!it) {
      it = type === 'message' ? { type, content: [] } : type === 'reasoning' ? { type, summary: [] } : { type };
      items.set(at, it);
    }
    return it;
  };
  const callAt = (at: number, it: Item): number => {
    let i = callIndex.get(at);
    if (i === undefined) {
      i = callIndex.size;
      callIndex.set(at, i);
      if (typeof it.name === 'string' && it.name) onDelta?.({ toolCallIndex: i, toolName: it.name, toolCallId: String(it.call_id || it.id || '') });
    }
    return i;
  };
  for await (const { event, data: e } of jsonEvents(res, 'openai', touch)) {
    if (e === '[DONE]') continue;
    const type = typeof e.type === 'string' ? e.type : event;
    const at = typeof e.output_index === 'number' ? e.output_index : -1;
    const delta = typeof e.delta === 'string' ? e.delta : '';
    switch (type) {
      case 'response.output_item.added': {
        if (!e.item || typeof e.item !== 'object') break;
        const it: Item = { ...(e.item as Item) };
        items.set(at, it);
        if (it.type === 'function_call') callAt(at, it);
        break;
      }
      case 'response.output_text.delta': {
        if (!delta) break;
        const it = item(at, 'message');
        const parts = Array.isArray(it.content) ? (it.content as Json[]) : (it.content = []) as Json[];
        const last = parts[parts.length - 1];
        if (last && last.type === 'output_text') last.text = String(last.text ?? '') + delta;
        else parts.push({ type: 'output_text', text: delta });
        onDelta?.({ text: delta });
        break;
      }
      case 'response.function_call_arguments.delta': {
        const it = items.get(at);
        if (!it || it.type !== 'function_call') throw new LLMError('malformed', `openai: arguments for output item ${at}, which is not a started function call.`);
        it.arguments = String(it.arguments ?? '') + delta;
        if (delta) onDelta?.({ toolCallIndex: callAt(at, it), argumentsDelta: delta });
        break;
      }
      case 'response.function_call_arguments.done': {
        const it = items.get(at);
        if (it && typeof e.arguments === 'string') it.arguments = e.arguments;
        break;
      }
      case 'response.reasoning_summary_text.delta': {
        if (!delta) break;
        const it = item(at, 'reasoning');
        const summary = Array.isArray(it.summary) ? (it.summary as Json[]) : (it.summary = []) as Json[];
        const si = typeof e.summary_index === 'number' ? e.summary_index : Math.max(0, summary.length - 1);
        const part = (summary[si] ??= { type: 'summary_text', text: '' });
        part.text = String(part.text ?? '') + delta;
        onDelta?.({ reasoning: delta });
        break;
      }
      case 'response.output_item.done': {
        if (!e.item || typeof e.item !== 'object') break;
        const it = e.item as Item;
        items.set(at, it);
        if (it.type === 'function_call') callAt(at, it);
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
        final = (e.response && typeof e.response === 'object' ? e.response : { status: type === 'response.completed' ? 'completed' : 'incomplete' }) as Json;
        break;
      case 'response.failed': {
        const r = (e.response ?? {}) as Json;
        throw responsesError(r.error && typeof r.error === 'object' ? r.error : { message: 'the response failed' });
      }
      case 'error':
        throw responsesError(e.error && typeof e.error === 'object' ? e.error : { code: e.code, message: e.message });
      default:
        break;
    }
    if (final) break;
  }
  if (!final) throw new LLMError('network', 'openai: the stream ended early, before the response was complete.', { retriable: true });
  const ordered = [...items.entries()].sort((a, b) => a[0] - b[0]).map(([, it]) => it);
  if (final.status !== 'completed') {
    for (const it of ordered) {
      if (it.type === 'function_call' && typeof it.arguments === 'string' && it.arguments.trim() !== '' && !isJSON(it.arguments)) {
        const why = (final.incomplete_details as Json | null | undefined)?.reason ?? final.status ?? 'unknown';
        throw new LLMError('malformed', `openai: the arguments of tool call "${String(it.name ?? '')}" never closed (${String(why)}).`);
      }
    }
  }
  return assemble(ordered, final);
}

/** An error object from an `error` event, a failed response or a 200 body. */
function responsesError(e: unknown): LLMError {
  const o = (e && typeof e === 'object' ? e : { message: String(e) }) as Json;
  const code = [...new Set([o.type, o.code].filter((x): x is string => typeof x === 'string' && x !== ''))].join(' ');
  const message = `openai: ${redact(typeof o.message === 'string' && o.message ? o.message : JSON.stringify(o))}${code ? ` (${code})` : ''}`;
  if (/insufficient_quota/.test(code)) return new LLMError('rate_limit', message, { retriable: false });
  if (/rate_limit/.test(code)) return new LLMError('rate_limit', message, { retriable: true });
  if (/context_length/.test(code)) return new LLMError('context_length', message);
  if (/server_error|overloaded|server_is_overloaded|internal/.test(code)) return new LLMError('server', message, { retriable: true });
  if (/auth|invalid_api_key/.test(code)) return new LLMError('auth', message);
  if (!code) return new LLMError('server', message, { retriable: true });
  return new LLMError('bad_request', message);
}
