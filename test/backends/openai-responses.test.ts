// The Responses API backend (`new OpenAIBackend({ api: 'responses' })`) against the recorded
// fixtures in test/fixtures/wire/openai-responses/, replayed by a real local HTTP server.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useWireServers, type Seen } from './wire-server.ts';
import { OpenAIBackend, type OpenAIBackendOptions } from '../../lib/backends/openai/backend.ts';
import { collect, composableLoop, LLMError, ToolRegistry, type LLMDelta, type LLMRequest, type LLMResponse } from '../../lib/index.ts';

const serve = useWireServers();
/** The JSON body of request `i` a server saw. */
const sent = (s: { seen: Seen[] }, i: number) => s.seen[i]!.body as Record<string, unknown>;

const DIR = new URL('../fixtures/wire/openai-responses/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, DIR), 'utf8');
const lines = (name: string) => fixture(name).split('\n').filter((l) => l.trim() !== '');
/** Responses SSE framing (README): `event: <the JSON's type>\ndata: <json>\n\n` per line; no [DONE]. */
const sse = (ls: readonly string[]) => ls.map((l) => `event: ${(JSON.parse(l) as { type: string }).type}\ndata: ${l}\n\n`).join('');
const ev = (o: Record<string, unknown>) => JSON.stringify(o);

const backend = (url: string, extra: Partial<OpenAIBackendOptions> = {}) =>
  new OpenAIBackend({ api: 'responses', baseURL: `${url}/v1`, apiKey: 'test-key', model: 'gpt-5.1', ...extra });
const REQ: LLMRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [], system: 'sys' };

async function run(url: string, extra: Partial<OpenAIBackendOptions> = {}, request: LLMRequest = REQ) {
  const deltas: LLMDelta[] = [];
  const out = await backend(url, extra).generate(request, { signal: new AbortController().signal, onDelta: (d) => void deltas.push(d) });
  return { out, deltas };
}

async function failure(p: Promise<unknown>): Promise<LLMError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(LLMError);
  expect((err as LLMError).message).not.toContain('test-key');
  return err as LLMError;
}

function expectCalls(out: LLMResponse, calls: { id: string; name: string; args: string; parsed: unknown }[]) {
  expect(out.toolCalls).toEqual(calls.map((c) => ({ id: c.id, name: c.name, arguments: c.args })));
  for (const [i, c] of calls.entries()) expect(JSON.parse(out.toolCalls![i]!.arguments as string)).toEqual(c.parsed);
}

/** The deltas of tool call `i`: its name once, then its argument pieces. */
const argDeltas = (deltas: LLMDelta[], i: number) => deltas.filter((d) => d.toolCallIndex === i && d.argumentsDelta !== undefined).map((d) => d.argumentsDelta).join('');
const nameDeltas = (deltas: LLMDelta[]) => deltas.filter((d) => d.toolName !== undefined).map((d) => [d.toolCallIndex, d.toolName]);

/** The four-response recording, split at each `response.created`. */
function fourResponses(): string[][] {
  const parts: string[][] = [];
  for (const l of lines('openai-reasoning-encrypted-content.1.chunks.txt')) {
    if ((JSON.parse(l) as { type: string }).type === 'response.created') parts.push([]);
    parts[parts.length - 1]!.push(l);
  }
  return parts;
}

const PIECES = [undefined, 7] as const;
const how = (p: number | undefined) => (p ? ` (in ${p}-byte pieces)` : '');

// ---------------------------------------------------------------------------------------------

describe('Responses API: every recorded fixture parses as the README says', () => {
  for (const pieces of PIECES) {
    it(`issue-19493-gpt-5.1-tool-call.chunks.txt: one streamed function_call${how(pieces)}`, async () => {
      const s = await serve([{ body: sse(lines('issue-19493-gpt-5.1-tool-call.chunks.txt')), chunkBytes: pieces }]);
      const { out, deltas } = await run(s.url);
      expectCalls(out, [{ id: 'call_2FQdm3Br7Qb35YUBSkDR7kue', name: 'get_weather', args: '{"city":"Beijing"}', parsed: { city: 'Beijing' } }]);
      expect(out.text).toBeUndefined();
      expect(out.reasoning).toBeUndefined();
      expect(out.providerData).toBeUndefined();
      expect(out.finishReason).toBe('completed');
      expect(out.usage).toEqual({ inputTokens: 45, outputTokens: 25, totalTokens: 70, cachedInputTokens: 0, reasoningTokens: 0 });
      expect(out.model).toBe('gpt-5.1-2025-11-13');
      expect(nameDeltas(deltas)).toEqual([[0, 'get_weather']]);
      expect(argDeltas(deltas, 0)).toBe('{"city":"Beijing"}');
      expect(s.seen).toHaveLength(1);
      expect(s.seen[0]!.url).toBe('/v1/responses');
    });

    it(`openai-reasoning-encrypted-content.1.chunks.txt: all four steps, and step 1's reasoning item goes back unchanged${how(pieces)}`, async () => {
      const parts = fourResponses();
      expect(parts).toHaveLength(4);
      // The reasoning item as the API finalised it (output_item.done), encrypted_content included.
      const done = parts[0]!.map((l) => JSON.parse(l) as { type: string; item?: Record<string, unknown> }).find((e) => e.type === 'response.output_item.done' && e.item?.type === 'reasoning')!.item!;
      expect(typeof done.encrypted_content).toBe('string');

      const s = await serve(parts.map((p) => ({ body: sse(p), chunkBytes: pieces })));
      const opts = { model: 'gpt-5.1-codex-max' };
      const summary = "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.";

      // step 1: reasoning (summary + encrypted content), then a calculator call
      const s1 = await run(s.url, opts);
      expect(s1.out.reasoning).toBe(summary);
      expect(s1.deltas.filter((d) => d.reasoning !== undefined).map((d) => d.reasoning).join('')).toBe(summary);
      expectCalls(s1.out, [{ id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', args: '{"a":12,"b":7,"op":"add"}', parsed: { a: 12, b: 7, op: 'add' } }]);
      expect(s1.out.providerData).toEqual({ openaiResponses: [done] });
      expect(s1.out).toMatchObject({ finishReason: 'completed', usage: { inputTokens: 134, outputTokens: 28, totalTokens: 162 } });
      expect(nameDeltas(s1.deltas)).toEqual([[0, 'calculator']]);
      expect(argDeltas(s1.deltas, 0)).toBe('{"a":12,"b":7,"op":"add"}');

      // step 2: the history carries step 1's reply (as the loop keeps it) and the tool result
      const history: LLMRequest = {
        ...REQ,
        messages: [
          ...REQ.messages,
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' }], providerData: s1.out.providerData! },
          { role: 'tool', content: '19', toolCallId: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator' },
        ],
      };
      const s2 = await run(s.url, opts, history);
      expectCalls(s2.out, [{ id: 'call_Q6pW65MUgW9vF59BmItYGos3', name: 'calculator', args: '{"a":19,"b":3,"op":"multiply"}', parsed: { a: 19, b: 3, op: 'multiply' } }]);
      expect(s2.out).toMatchObject({ finishReason: 'completed', usage: { inputTokens: 221, outputTokens: 26, totalTokens: 247 } });
      expect(s2.out.providerData).toBeUndefined();
      expect(s2.out.reasoning).toBeUndefined();
      const second = sent(s, 1);
      expect(second.input).toEqual([
        { role: 'user', content: 'hi' },
        done, // byte for byte what the API returned
        { type: 'function_call', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' },
        { type: 'function_call_output', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', output: '19' },
      ]);
      expect(second).toMatchObject({ store: false, include: ['reasoning.encrypted_content'], instructions: 'sys', stream: true, model: 'gpt-5.1-codex-max' });

      // steps 3 and 4
      const s3 = await run(s.url, opts);
      expectCalls(s3.out, [{ id: 'call_Zl5vIMnD7dVAjgU6FkhmiCZh', name: 'calculator', args: '{"a":57,"b":10,"op":"multiply"}', parsed: { a: 57, b: 10, op: 'multiply' } }]);
      expect(s3.out).toMatchObject({ finishReason: 'completed', usage: { inputTokens: 260, outputTokens: 26, totalTokens: 286 } });
      const s4 = await run(s.url, opts);
      expect(s4.out.text).toBe('The final result is **570**.');
      expect(s4.deltas.filter((d) => d.text !== undefined).map((d) => d.text).join('')).toBe('The final result is **570**.');
      expect(s4.out.toolCalls).toBeUndefined();
      expect(s4.out).toMatchObject({ finishReason: 'completed', usage: { inputTokens: 299, outputTokens: 12, totalTokens: 311, cachedInputTokens: 0, reasoningTokens: 0 } });
      expect(s.seen).toHaveLength(4);
    });

    it(`openai-error.1.chunks.txt: an error event in a 200 stream is insufficient_quota${how(pieces)}`, async () => {
      const s = await serve([{ body: sse(lines('openai-error.1.chunks.txt')), chunkBytes: pieces }]);
      const err = await failure(run(s.url, { maxRetries: 3 }));
      expect(err.kind).toBe('rate_limit');
      expect(err.retriable).toBe(false);
      expect(err.message).toContain('You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.');
      expect(err.message).toContain('insufficient_quota');
      expect(s.seen).toHaveLength(1);
    });
  }

  it('issue-7082-o3-optional-tool-parameters.json: a non-streamed reasoning item then a function_call', async () => {
    const s = await serve([{ body: fixture('issue-7082-o3-optional-tool-parameters.json') }]);
    const { out, deltas } = await run(s.url, { stream: false });
    expectCalls(out, [{ id: 'call_2mhz5FtwkZnzXQkTOMtYZpZH', name: 'semantic_scholar_search', args: '{"query":"machine learning","limit":10,"offset":0,"year":0}', parsed: { query: 'machine learning', limit: 10, offset: 0, year: 0 } }]);
    expect(out.text).toBeUndefined();
    expect(out.reasoning).toBeUndefined(); // the summary is empty
    expect(out.providerData).toEqual({ openaiResponses: [{ id: 'rs_08c7eac45286fefb006a5f41bc7b8881a3a8cc432451e96393', type: 'reasoning', content: [], encrypted_content: '[redacted]', summary: [] }] });
    expect(out.finishReason).toBe('completed');
    expect(out.usage).toEqual({ inputTokens: 114, outputTokens: 88, totalTokens: 202, cachedInputTokens: 0, reasoningTokens: 0 });
    expect(out.model).toBe('o3-2025-04-16');
    expect(deltas).toEqual([]);
    expect(sent(s, 0).stream).toBeUndefined();
  });

  it('openai-error.1.json served with HTTP 429: rate_limit, not retriable, exactly one request', async () => {
    const s = await serve([{ status: 429, body: fixture('openai-error.1.json') }, { status: 429, body: fixture('openai-error.1.json') }]);
    const err = await failure(run(s.url, { maxRetries: 3 }));
    expect(err).toMatchObject({ kind: 'rate_limit', retriable: false, status: 429 });
    expect(err.message).toContain('You exceeded your current quota');
    expect(s.seen).toHaveLength(1);
  });

  it('usage is priced', async () => {
    const s = await serve([{ body: sse(lines('issue-19493-gpt-5.1-tool-call.chunks.txt')) }]);
    const { out } = await run(s.url, { prices: { 'gpt-5.1': { input: 1, output: 10 } } });
    expect(out.usage!.costUsd).toBeCloseTo((45 * 1 + 25 * 10) / 1e6, 12);
  });
});

describe('Responses API: the request', () => {
  const convo: LLMRequest = {
    system: 'You are terse.',
    messages: [
      { role: 'user', content: 'Weather in Beijing?' },
      { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Beijing"}' }, { id: 'call_2', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { role: 'tool', content: '{"sky":"sunny"}', toolCallId: 'call_1', name: 'get_weather' },
      { role: 'tool', content: '{"sky":"rain"}', toolCallId: 'call_2', name: 'get_weather' },
    ],
    tools: [{ name: 'get_weather', description: 'Weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    parallelToolCalls: true,
  };

  it('sends instructions, input items bound by call_id, function tools and stream', async () => {
    const s = await serve([{ body: sse(lines('issue-19493-gpt-5.1-tool-call.chunks.txt')) }]);
    await run(s.url, { temperature: 0.2, maxTokens: 300, toolChoice: 'required', body: { reasoning: { effort: 'low', summary: 'auto' } } }, convo);
    const { url, headers, body } = s.seen[0]!;
    expect(url).toBe('/v1/responses');
    expect(headers.authorization).toBe('Bearer test-key');
    expect(headers['content-type']).toBe('application/json');
    expect(body).toEqual({
      model: 'gpt-5.1',
      instructions: 'You are terse.',
      input: [
        { role: 'user', content: 'Weather in Beijing?' },
        { role: 'assistant', content: 'Checking.' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Beijing"}' },
        { type: 'function_call', call_id: 'call_2', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"sky":"sunny"}' },
        { type: 'function_call_output', call_id: 'call_2', output: '{"sky":"rain"}' },
      ],
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      tool_choice: 'required',
      parallel_tool_calls: true,
      temperature: 0.2,
      max_output_tokens: 300,
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'low', summary: 'auto' },
    });
    // every function_call_output answers a function_call sent before it
    const input = (body as Record<string, unknown>).input as { type?: string; call_id?: string }[];
    for (const [i, it] of input.entries()) {
      if (it.type === 'function_call_output') expect(input.slice(0, i).some((x) => x.type === 'function_call' && x.call_id === it.call_id)).toBe(true);
    }
  });

  it('without tools: no tools or tool_choice; not streamed: no stream field; opts.body wins', async () => {
    const s = await serve([{ body: fixture('issue-7082-o3-optional-tool-parameters.json') }]);
    await run(s.url, { stream: false, body: { store: true, include: [] } }, { messages: [{ role: 'user', content: 'x' }], tools: [] });
    expect(sent(s, 0)).toEqual({ model: 'gpt-5.1', input: [{ role: 'user', content: 'x' }], store: true, include: [] });
  });
});

describe('Responses API: faults', () => {
  const TOOL = lines('issue-19493-gpt-5.1-tool-call.chunks.txt');

  it('a stream cut mid-way (socket destroyed) is a retriable network error', async () => {
    const body = sse(TOOL);
    const s = await serve([{ body, chunkBytes: 7, cutAfter: Math.floor(body.length / 2) }]);
    const err = await failure(run(s.url));
    expect(err).toMatchObject({ kind: 'network', retriable: true });
    expect(s.seen).toHaveLength(1);
  });

  it('a stream that ends without completed/incomplete/failed is network, "ended early"', async () => {
    const s = await serve([{ body: sse(TOOL.slice(0, -1)), chunkBytes: 7 }]);
    const err = await failure(run(s.url));
    expect(err).toMatchObject({ kind: 'network', retriable: true });
    expect(err.message).toMatch(/ended early/);
  });

  it('a data line that is not JSON is malformed', async () => {
    const s = await serve([{ body: sse(TOOL.slice(0, 3)) + 'event: response.output_text.delta\ndata: {"type":"response.output_te\n\n' }]);
    expect((await failure(run(s.url))).kind).toBe('malformed');
  });

  it('arguments that never close, in an incomplete response, are malformed', async () => {
    // hand-written (not a recording): max_output_tokens hit mid-arguments
    const body = sse([
      ev({ type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_x', call_id: 'call_x', name: 'get_weather', arguments: '' } }),
      ev({ type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_x', delta: '{"city":"Bei' }),
      ev({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [], usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 } } }),
    ]);
    const s = await serve([{ body }]);
    const err = await failure(run(s.url));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/never closed.*max_output_tokens/);
  });

  it('an incomplete response with whole parts is returned, finishReason = incomplete_details.reason', async () => {
    // hand-written (not a recording)
    const body = sse([
      ev({ type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: 'msg_1', role: 'assistant', content: [] } }),
      ev({ type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'Par' }),
      ev({ type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'tial' }),
      ev({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [], usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 } } }),
    ]);
    const s = await serve([{ body }]);
    const { out } = await run(s.url);
    expect(out).toEqual({ text: 'Partial', finishReason: 'max_output_tokens', usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 } });
  });

  it('response.failed alone is typed from its error; an error event in the documented flat shape too', async () => {
    // hand-written (not recordings)
    const failed = await serve([{ body: sse([ev({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'The server had an error.' }, output: [] } })]) }]);
    const e1 = await failure(run(failed.url));
    expect(e1).toMatchObject({ kind: 'server', retriable: true });
    expect(e1.message).toContain('The server had an error.');
    const flat = await serve([{ body: sse([ev({ type: 'error', code: 'rate_limit_exceeded', message: 'Slow down.', param: null })]) }]);
    const e2 = await failure(run(flat.url));
    expect(e2).toMatchObject({ kind: 'rate_limit', retriable: true });
    expect(e2.message).toContain('Slow down.');
  });

  it('a non-streamed body without an output array, or not JSON at all, is malformed', async () => {
    const s = await serve([{ body: '{"id":"resp_1","object":"response","status":"completed"}' }, { body: '<html>oops</html>' }]);
    expect((await failure(run(s.url, { stream: false }))).kind).toBe('malformed');
    expect((await failure(run(s.url, { stream: false }))).kind).toBe('malformed');
  });

  it('abort during a slow response rejects at once with aborted: before the headers, and mid-stream', async () => {
    const body = sse(TOOL);
    const s = await serve([{ body, delayMs: 10_000 }, { body, chunkBytes: 7, stallAfter: Math.floor(body.length / 2) }]);
    for (let i = 0; i < 2; i++) {
      const ctrl = new AbortController();
      const t0 = Date.now();
      const deltas: LLMDelta[] = [];
      const p = backend(s.url).generate(REQ, { signal: ctrl.signal, onDelta: (d) => { deltas.push(d); if (d.argumentsDelta && !ctrl.signal.aborted) setTimeout(() => ctrl.abort(), 20); } });
      if (i === 0) setTimeout(() => ctrl.abort(), 50);
      const err = await failure(p);
      expect(err.kind).toBe('aborted');
      expect(Date.now() - t0).toBeLessThan(1500);
      if (i === 1) expect(deltas.length).toBeGreaterThan(0); // it was streaming when aborted
    }
    expect(s.seen).toHaveLength(2);
  });

  it('a stream that goes silent past timeoutMs is a timeout', async () => {
    const body = sse(TOOL);
    const s = await serve([{ body, stallAfter: Math.floor(body.length / 2) }]);
    const err = await failure(run(s.url, { timeoutMs: 200 }));
    expect(err).toMatchObject({ kind: 'timeout', retriable: true });
  });
});

describe('Responses API in composableLoop', () => {
  it('replays the recorded get_weather call, then a done call', async () => {
    // hand-written (NOT a recording): a minimal Responses stream in which the model calls `done`
    const doneStream = sse([
      ev({ type: 'response.created', response: { id: 'resp_done', status: 'in_progress', model: 'gpt-5.1', output: [] } }),
      ev({ type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_done', call_id: 'call_done', name: 'done', arguments: '' } }),
      ev({ type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_done', delta: '{"answer":"sunny' }),
      ev({ type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_done', delta: ' in Beijing"}' }),
      ev({ type: 'response.function_call_arguments.done', output_index: 0, item_id: 'fc_done', arguments: '{"answer":"sunny in Beijing"}' }),
      ev({ type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id: 'fc_done', call_id: 'call_done', name: 'done', arguments: '{"answer":"sunny in Beijing"}', status: 'completed' } }),
      ev({ type: 'response.completed', response: { id: 'resp_done', status: 'completed', model: 'gpt-5.1', output: [], usage: { input_tokens: 80, output_tokens: 9, total_tokens: 89 } } }),
    ]);
    const s = await serve([{ body: sse(lines('issue-19493-gpt-5.1-tool-call.chunks.txt')), chunkBytes: 7 }, { body: doneStream, chunkBytes: 7 }]);
    const cities: string[] = [];
    const tools = new ToolRegistry().register({
      name: 'get_weather',
      description: 'Get weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      execute: ({ city }) => { cities.push(String(city)); return { sky: 'sunny' }; },
    });
    const { steps, outcome } = await collect(composableLoop({ llm: backend(s.url), tools, task: 'Weather in Beijing?' }));
    expect(cities).toEqual(['Beijing']);
    expect(steps.map((x) => [x.toolCall.id, x.toolCall.name, x.toolCall.args])).toEqual([
      ['call_2FQdm3Br7Qb35YUBSkDR7kue', 'get_weather', { city: 'Beijing' }],
      ['call_done', 'done', { answer: 'sunny in Beijing' }],
    ]);
    expect(steps[0]!.toolResult.data).toEqual({ sky: 'sunny' });
    expect(outcome).toMatchObject({ status: 'done', answer: 'sunny in Beijing', steps: 2, usage: { inputTokens: 45 + 80, outputTokens: 25 + 9, totalTokens: 70 + 89 } });
    expect(s.seen).toHaveLength(2);
    // the second request sends the recorded call back, answered by call_id
    const first = sent(s, 0);
    expect((first.tools as { name: string }[]).map((t) => t.name)).toContain('get_weather');
    expect((first.input as unknown[])[0]).toMatchObject({ role: 'user' });
    const input = sent(s, 1).input as Record<string, unknown>[];
    expect(input.slice(-2)).toEqual([
      { type: 'function_call', call_id: 'call_2FQdm3Br7Qb35YUBSkDR7kue', name: 'get_weather', arguments: '{"city":"Beijing"}' },
      { type: 'function_call_output', call_id: 'call_2FQdm3Br7Qb35YUBSkDR7kue', output: '{"sky":"sunny"}' },
    ]);
  });
});
