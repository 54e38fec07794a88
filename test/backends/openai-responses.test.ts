import { describe, expect, it } from 'vitest';
import { OpenAIBackend } from '../../lib/backends/openai.ts';
import { collect, composableLoop, ToolRegistry, type LLMDelta, type LLMRequest } from '../../lib/index.ts';
import { fixture, useWireServers, type Reply } from './wire-server.ts';

const REQ: LLMRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [], system: 'sys' };
const serve = useWireServers();
const backend = (url: string, extra: Partial<ConstructorParameters<typeof OpenAIBackend>[0]> = {}) =>
  new OpenAIBackend({ api: 'responses', baseURL: `${url}/v1`, apiKey: 'sk-test-responses-key-42424242', model: 'gpt-5.1', maxRetries: 0, ...extra });
const signal = () => new AbortController().signal;

/** `.chunks.txt` → Responses SSE: `event: <type>` + `data: <json>` per line; no [DONE]. */
const responsesSSE = (lines: string[]) => lines.filter((l) => l.trim()).map((l) => `event: ${(JSON.parse(l) as { type: string }).type}\ndata: ${l}\n\n`).join('');
const chunks = (file: string) => fixture(`openai-responses/${file}`).split('\n').filter((l) => l.trim());

/** The four-response recording, split at each response.created. */
function fourResponses(): string[][] {
  const parts: string[][] = [];
  for (const l of chunks('openai-reasoning-encrypted-content.1.chunks.txt')) {
    if (l.includes('"type":"response.created"')) parts.push([]);
    parts[parts.length - 1]!.push(l);
  }
  return parts;
}

describe('OpenAIBackend({ api: "responses" }) against recorded fixtures', () => {
  for (const chunkBytes of [undefined, 7]) {
    it(`a streamed function_call (gpt-5.1)${chunkBytes ? ' in 7-byte pieces' : ''}`, async () => {
      const s = await serve([{ body: responsesSSE(chunks('issue-19493-gpt-5.1-tool-call.chunks.txt')), chunkBytes }]);
      const deltas: LLMDelta[] = [];
      const out = await backend(s.url).generate(REQ, { signal: signal(), onDelta: (d) => void deltas.push(d) });
      expect(out.toolCalls).toEqual([{ id: 'call_2FQdm3Br7Qb35YUBSkDR7kue', name: 'get_weather', arguments: '{"city":"Beijing"}' }]);
      expect(out).toMatchObject({ finishReason: 'completed', usage: { inputTokens: 45, outputTokens: 25, totalTokens: 70 } });
      expect(deltas.filter((d) => d.toolCallIndex === 0).map((d) => d.argumentsDelta ?? '').join('')).toBe('{"city":"Beijing"}');
      expect(s.seen[0]!.url).toBe('/v1/responses');
    });

    it(`a four-step reasoning run: every step parses, and step 1's reasoning item goes back unchanged${chunkBytes ? ' (7-byte pieces)' : ''}`, async () => {
      const parts = fourResponses();
      expect(parts).toHaveLength(4);
      const s = await serve(parts.map((p) => ({ body: responsesSSE(p), chunkBytes })));
      const llm = backend(s.url, { model: 'gpt-5.1-codex-max' });
      const r1 = await llm.generate(REQ, { signal: signal() });
      expect(r1.reasoning).toBe("**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.");
      expect(r1.toolCalls).toEqual([{ id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' }]);
      expect(r1.usage).toMatchObject({ inputTokens: 134, outputTokens: 28, totalTokens: 162 });
      const reasoningItem = (r1.providerData!.openaiResponses as { type: string; encrypted_content: string }[])[0]!;
      expect(reasoningItem.type).toBe('reasoning');
      expect(reasoningItem.encrypted_content.length).toBeGreaterThan(100);

      const history = [...REQ.messages,
        { role: 'assistant' as const, content: '', toolCalls: [{ id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' }], providerData: r1.providerData! },
        { role: 'tool' as const, content: '19', toolCallId: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator' }];
      const r2 = await llm.generate({ ...REQ, messages: history }, { signal: signal() });
      expect(r2.toolCalls).toEqual([{ id: 'call_Q6pW65MUgW9vF59BmItYGos3', name: 'calculator', arguments: '{"a":19,"b":3,"op":"multiply"}' }]);
      expect(r2.usage).toMatchObject({ inputTokens: 221, outputTokens: 26, totalTokens: 247 });
      const sent = s.seen[1]!.body as { input: Record<string, unknown>[]; instructions: string; store: boolean };
      expect(sent.instructions).toBe('sys');
      expect(sent.store).toBe(false);
      expect(sent.input).toEqual([
        { role: 'user', content: 'hi' },
        reasoningItem,
        { type: 'function_call', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' },
        { type: 'function_call_output', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', output: '19' },
      ]);
      const r3 = await llm.generate(REQ, { signal: signal() });
      expect(r3.toolCalls).toEqual([{ id: 'call_Zl5vIMnD7dVAjgU6FkhmiCZh', name: 'calculator', arguments: '{"a":57,"b":10,"op":"multiply"}' }]);
      expect(r3.usage).toMatchObject({ inputTokens: 260, outputTokens: 26, totalTokens: 286 });
      const r4 = await llm.generate(REQ, { signal: signal() });
      expect(r4).toMatchObject({ text: 'The final result is **570**.', finishReason: 'completed', usage: { inputTokens: 299, outputTokens: 12, totalTokens: 311 } });
      expect(r4.toolCalls).toBeUndefined();
    });
  }

  it('a non-streamed o3 response with a reasoning item before the function_call', async () => {
    const s = await serve([{ body: fixture('openai-responses/issue-7082-o3-optional-tool-parameters.json') }]);
    const out = await backend(s.url, { stream: false }).generate(REQ, { signal: signal() });
    expect(out.toolCalls).toEqual([{ id: 'call_2mhz5FtwkZnzXQkTOMtYZpZH', name: 'semantic_scholar_search', arguments: '{"query":"machine learning","limit":10,"offset":0,"year":0}' }]);
    expect(out).toMatchObject({ finishReason: 'completed', usage: { inputTokens: 114, outputTokens: 88, totalTokens: 202, reasoningTokens: 0 } });
    expect(out.text).toBeUndefined();
    expect((s.seen[0]!.body as { stream?: boolean }).stream).toBeUndefined();
  });

  it('sends tools as Responses function tools', async () => {
    const s = await serve([{ body: responsesSSE(chunks('issue-19493-gpt-5.1-tool-call.chunks.txt')) }]);
    await backend(s.url, { maxTokens: 300 }).generate({ ...REQ, tools: [{ name: 'get_weather', description: 'Weather.', parameters: { type: 'object' } }], parallelToolCalls: true }, { signal: signal() });
    expect(s.seen[0]!.body).toMatchObject({ model: 'gpt-5.1', tools: [{ type: 'function', name: 'get_weather', description: 'Weather.', parameters: { type: 'object' } }], tool_choice: 'auto', parallel_tool_calls: true, max_output_tokens: 300, stream: true });
    expect(s.seen[0]!.headers.authorization).toBe('Bearer sk-test-responses-key-42424242');
  });
});

describe('Responses faults', () => {
  it('a 429 insufficient_quota is rate_limit, not retried; the streamed error event says the same', async () => {
    const s = await serve([{ status: 429, body: fixture('openai-responses/openai-error.1.json') }]);
    await expect(backend(s.url, { maxRetries: 3 }).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'rate_limit', retriable: false });
    expect(s.seen).toHaveLength(1);
    const st = await serve([{ body: responsesSSE(chunks('openai-error.1.chunks.txt')) }]);
    await expect(backend(st.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'rate_limit', retriable: false, message: expect.stringMatching(/You exceeded your current quota/) });
  });

  it('a stream without a completion event, a cut stream, a non-JSON line and a body without output are typed errors', async () => {
    const lines = chunks('issue-19493-gpt-5.1-tool-call.chunks.txt');
    const early = await serve([{ body: responsesSSE(lines.slice(0, -1)) }]);
    await expect(backend(early.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'network', message: expect.stringMatching(/ended before/) });
    const cut = await serve([{ body: responsesSSE(lines), chunkBytes: 100, cutAfter: 1500 }]);
    await expect(backend(cut.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'network' });
    const junk = await serve([{ body: 'event: x\ndata: nope\n\n' }]);
    await expect(backend(junk.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'malformed' });
    const empty = await serve([{ body: '{"id":"r","status":"completed"}' }]);
    await expect(backend(empty.url, { stream: false }).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('abort cancels at once', async () => {
    const s = await serve([{ body: responsesSSE(chunks('issue-19493-gpt-5.1-tool-call.chunks.txt')), delayMs: 5000 }]);
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 30);
    await expect(backend(s.url).generate(REQ, { signal: ctrl.signal })).rejects.toMatchObject({ kind: 'aborted' });
  });
});

describe('Responses in the loop', () => {
  it('runs the recorded get_weather call, then a done call', async () => {
    // hand-written: a minimal Responses stream calling done
    const done = responsesSSE([
      JSON.stringify({ type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_d', call_id: 'call_done', name: 'done', arguments: '' } }),
      JSON.stringify({ type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_d', delta: '{"answer":"sunny in Beijing"}' }),
      JSON.stringify({ type: 'response.completed', response: { status: 'completed', output: [], usage: { input_tokens: 80, output_tokens: 9, total_tokens: 89 } } }),
    ]);
    const s = await serve([{ body: responsesSSE(chunks('issue-19493-gpt-5.1-tool-call.chunks.txt')) }, { body: done }]);
    const cities: string[] = [];
    const tools = new ToolRegistry().register({ name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, execute: ({ city }) => { cities.push(String(city)); return { sky: 'sunny' }; } });
    const { steps, outcome } = await collect(composableLoop({ llm: backend(s.url), tools, task: 'Weather in Beijing?' }));
    expect(cities).toEqual(['Beijing']);
    expect(steps.map((x) => x.toolCall.name)).toEqual(['get_weather', 'done']);
    expect(outcome).toMatchObject({ status: 'done', answer: 'sunny in Beijing', usage: { inputTokens: 125, outputTokens: 34 } });
    expect((s.seen[1]!.body as { input: { type?: string; call_id?: string }[] }).input.at(-1)).toEqual({ type: 'function_call_output', call_id: 'call_2FQdm3Br7Qb35YUBSkDR7kue', output: '{"sky":"sunny"}' });
  });
});
