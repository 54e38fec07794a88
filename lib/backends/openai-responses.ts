// OpenAI's Responses API (`/v1/responses`), used by `new OpenAIBackend({ api: 'responses' })`:
// function_call items out, function_call_output items back, reasoning items kept and replayed.
import { LLMError } from '../errors.ts';
import { isJSON, post, receive, redact } from './http.ts';
import type { OpenAIBackendOptions } from './openai.ts';
import { jsonEvents } from './sse.ts';
import type { GenerateOptions, LLMDelta, LLMRequest, LLMResponse, LLMToolCall, Message, Usage } from './types.ts';

type Json = Record<string, unknown>;
type Item = Json & { type?: string };

export async function responsesGenerate(
  opts: OpenAIBackendOptions,
  base: string,
  headers: Record<string, string>,
  request: LLMRequest,
  signal: AbortSignal,
  onDelta?: (d: LLMDelta) => void,
): Promise<LLMResponse> {
  const stream = opts.stream ?? true;
  const open = await post({ provider: 'openai', url: `${base}/responses`, headers, body: responsesBody(opts, request, stream), signal }, opts);
  return receive(open, async (res) => (stream ? readResponsesStream(res, open.touch, onDelta) : parseResponse(await res.json())), opts.model, opts.prices);
}

export function responsesBody(opts: OpenAIBackendOptions, request: LLMRequest, stream: boolean): Json {
  const body: Json = { model: opts.model, input: responsesInput(request.messages), store: false, include: ['reasoning.encrypted_content'] };
  if (request.system) body.instructions = request.system;
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters }));
    body.tool_choice = opts.toolChoice ?? 'auto';
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (opts.temperature !== undefined) body.temperature = opts.temperature;
  if (opts.maxTokens !== undefined) body.max_output_tokens = opts.maxTokens;
  if (stream) body.stream = true;
  return { ...body, ...opts.body };
}

function responsesInput(messages: readonly Message[]): Json[] {
  const out: Json[] = [];
  for (const m of messages) {
    if (m.role === 'tool') out.push({ type: 'function_call_output', call_id: m.toolCallId ?? '', output: m.content });
    else if (m.role === 'assistant') {
      // reasoning items (with encrypted content) go back unchanged, before the calls they led to
      for (const it of (m.providerData?.openaiResponses as Json[] | undefined) ?? []) out.push(it);
      if (m.content) out.push({ role: 'assistant', content: m.content });
      for (const c of m.toolCalls ?? []) out.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: c.arguments });
    } else out.push({ role: m.role, content: m.content });
  }
  return out;
}

function usageOf(u: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const r = u as Json;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const input = num(r.input_tokens) ?? 0, output = num(r.output_tokens) ?? 0;
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: num(r.total_tokens) ?? input + output };
  const cached = num((r.input_tokens_details as Json | undefined)?.cached_tokens);
  const reasoning = num((r.output_tokens_details as Json | undefined)?.reasoning_tokens);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

/** A whole response object (non-streamed, or the one `response.completed` carries). */
export function parseResponse(j: unknown): LLMResponse {
  const r = (j ?? {}) as Json;
  if (r.error && typeof r.error === 'object') throw responsesError(r.error);
  if (!Array.isArray(r.output)) throw new LLMError('malformed', 'openai: the response has no output items.');
  return assemble(r.output as Item[], r);
}

function assemble(items: readonly Item[], response: Json): LLMResponse {
  const out: LLMResponse = {};
  let text = '';
  const calls: LLMToolCall[] = [];
  const reasoningItems: Item[] = [];
  const summaries: string[] = [];
  for (const it of items) {
    if (it.type === 'message' && Array.isArray(it.content)) {
      for (const p of it.content as Json[]) if (p.type === 'output_text' && typeof p.text === 'string') text += p.text;
    } else if (it.type === 'function_call') {
      calls.push({ id: String(it.call_id ?? it.id ?? ''), name: String(it.name ?? ''), arguments: typeof it.arguments === 'string' ? it.arguments : JSON.stringify(it.arguments ?? {}) });
    } else if (it.type === 'reasoning') {
      reasoningItems.push(it);
      for (const s of (it.summary as Json[] | undefined) ?? []) if (typeof s.text === 'string') summaries.push(s.text);
    }
  }
  if (text) out.text = text;
  if (calls.length) out.toolCalls = calls;
  if (summaries.length) out.reasoning = summaries.join('\n\n');
  if (reasoningItems.length) out.providerData = { openaiResponses: reasoningItems };
  const incomplete = (response.incomplete_details as Json | null | undefined)?.reason;
  const status = typeof incomplete === 'string' ? incomplete : response.status;
  if (typeof status === 'string') out.finishReason = status;
  const usage = usageOf(response.usage);
  if (usage) out.usage = usage;
  if (typeof response.model === 'string') out.model = response.model;
  return out;
}

/** Assembles a streamed response from its events; the items' final forms (`output_item.done`) win. */
export async function readResponsesStream(res: Response, touch: () => void, onDelta?: GenerateOptions['onDelta']): Promise<LLMResponse> {
  const items = new Map<number, Item>();
  const callOrder = new Map<number, number>();
  let final: Json | undefined;
  for await (const { data: e } of jsonEvents(res, 'openai', touch)) {
    if (e === '[DONE]') continue;
    const at = typeof e.output_index === 'number' ? e.output_index : -1;
    switch (e.type) {
      case 'response.output_item.added': {
        const it = { ...(e.item as Item) };
        items.set(at, it);
        if (it.type === 'function_call') {
          callOrder.set(at, callOrder.size);
          onDelta?.({ toolCallIndex: callOrder.get(at)!, toolName: String(it.name ?? '') });
        }
        break;
      }
      case 'response.output_text.delta': {
        const it = items.get(at) ?? { type: 'message', content: [] };
        items.set(at, it);
        const parts = (it.content as Json[] | undefined) ?? [];
        const last = parts[parts.length - 1];
        if (last && last.type === 'output_text') last.text = String(last.text ?? '') + String(e.delta ?? '');
        else parts.push({ type: 'output_text', text: String(e.delta ?? '') });
        it.content = parts;
        onDelta?.({ text: String(e.delta ?? '') });
        break;
      }
      case 'response.function_call_arguments.delta': {
        const it = items.get(at);
        if (!it) throw new LLMError('malformed', `openai: argument pieces for output ${at}, which never started.`);
        it.arguments = String(it.arguments ?? '') + String(e.delta ?? '');
        onDelta?.({ toolCallIndex: callOrder.get(at) ?? 0, argumentsDelta: String(e.delta ?? '') });
        break;
      }
      case 'response.function_call_arguments.done': {
        const it = items.get(at);
        if (it && typeof e.arguments === 'string') it.arguments = e.arguments;
        break;
      }
      case 'response.reasoning_summary_text.delta':
        onDelta?.({ reasoning: String(e.delta ?? '') });
        break;
      case 'response.output_item.done':
        items.set(at, e.item as Item);
        break;
      case 'response.completed':
      case 'response.incomplete':
        final = (e.response ?? {}) as Json;
        break;
      case 'response.failed':
        throw responsesError(((e.response ?? {}) as Json).error ?? { message: 'the response failed' });
      case 'error':
        throw responsesError(e.error ?? e);
      default:
        break;
    }
    if (final) break;
  }
  if (!final) throw new LLMError('network', 'openai: the stream ended before the response was complete.', { retriable: true });
  const ordered = [...items.entries()].sort((a, b) => a[0] - b[0]).map(([, it]) => it);
  if (final.status === 'incomplete') {
    for (const it of ordered) {
      if (it.type === 'function_call' && typeof it.arguments === 'string' && it.arguments.trim() && !isJSON(it.arguments)) {
        throw new LLMError('malformed', `openai: the arguments of tool call "${String(it.name)}" never closed (incomplete: ${String((final.incomplete_details as Json | undefined)?.reason ?? 'unknown')}).`);
      }
    }
  }
  return assemble(ordered, final);
}


function responsesError(e: unknown): LLMError {
  const o = (e && typeof e === 'object' ? e : { message: String(e) }) as Json;
  const code = [o.type, o.code].filter((x) => typeof x === 'string').join(' ');
  const message = `openai: ${redact(typeof o.message === 'string' ? o.message : JSON.stringify(o))}${code ? ` (${code})` : ''}`;
  if (/insufficient_quota/.test(code)) return new LLMError('rate_limit', message, { retriable: false });
  if (/rate_limit/.test(code)) return new LLMError('rate_limit', message, { retriable: true });
  if (/context_length/.test(code)) return new LLMError('context_length', message);
  if (/server_error|overloaded/.test(code)) return new LLMError('server', message, { retriable: true });
  return new LLMError('bad_request', message);
}
