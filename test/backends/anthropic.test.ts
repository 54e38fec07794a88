import { describe, expect, it } from 'vitest';
import { AnthropicBackend } from '../../lib/backends/anthropic.ts';
import { collect, composableLoop, LLMError, ToolRegistry, type LLMDelta, type LLMRequest, type LLMResponse } from '../../lib/index.ts';
import { fixture, useWireServers, type Reply } from './wire-server.ts';

const REQ: LLMRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [], system: 'sys' };
const serve = useWireServers();
const backend = (url: string, extra: Partial<ConstructorParameters<typeof AnthropicBackend>[0]> = {}) =>
  new AnthropicBackend({ baseURL: url, apiKey: 'sk-ant-test-secret-key-000111', model: 'claude-sonnet-4-5', maxRetries: 0, ...extra });
const signal = () => new AbortController().signal;

/** `.chunks.txt` → Anthropic SSE: `event: <type>` + `data: <json>` per line; no [DONE]. */
export function anthropicSSE(chunks: string): string {
  return chunks.split('\n').filter((l) => l.trim() !== '').map((l) => `event: ${(JSON.parse(l) as { type: string }).type}\ndata: ${l}\n\n`).join('');
}

interface Expect { text?: string | RegExp; calls?: { id: string; name: string; args: string }[]; stop: string; usage: Partial<NonNullable<LLMResponse['usage']>>; reasoning?: string }

const STREAMED: [string, Expect][] = [
  ['anthropic-text.chunks.txt', { text: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?", stop: 'end_turn', usage: { inputTokens: 12, outputTokens: 30 } }],
  ['anthropic-issue-11719-quoted-tool-input.chunks.txt', {
    calls: [{ id: 'toolu_01Cr31vcGoeeRgi3Eo5Ds8qN', name: 'website_update', args: '{"website_path": "/home/user/pace-landing", "tasks": [{"description": "Today you post every run to Strava, but Strava does not answer the question: \\"What should I do next after this run?\\". It is a great log, but it is not adaptive.", "type": "feature", "passes": false}]}' }],
    stop: 'tool_use', usage: { inputTokens: 912, outputTokens: 118 },
  }],
  ['anthropic-json-tool.1.chunks.txt', {
    calls: [{ id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json', args: '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}' }],
    stop: 'tool_use', usage: { inputTokens: 849, outputTokens: 47 },
  }],
  ['anthropic-issue-15652-false.chunks.txt', {
    calls: [
      { id: 'toolu_01LtEf4h1QW7KCKLsYMuhTNB', name: 'searchDocs', args: '{"query": "alpha"}' },
      { id: 'toolu_016tfZE7otAFSBjhc67wu189', name: 'searchDocs', args: '{"query": "beta"}' },
      { id: 'toolu_01XkU35z8BVWqqc9tijDuLrA', name: 'searchDocs', args: '{"query": "gamma"}' },
    ],
    stop: 'tool_use', usage: { inputTokens: 798, outputTokens: 110 },
  }],
  ['sdk-py-tool-use-response.sse', {
    text: "I'll check the current weather in Paris for you.", calls: [{ id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather', args: '{"location": "Paris"}' }],
    stop: 'tool_use', usage: { inputTokens: 377, outputTokens: 65 },
  }],
  ['anthropic-tool-no-args.chunks.txt', { text: "I'll update the issue list for you.", calls: [{ id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', args: '{}' }], stop: 'tool_use', usage: { inputTokens: 565, outputTokens: 48 } }],
  ['anthropic-clear-thinking.1.chunks.txt', { text: '925 ÷ 5 = 185', reasoning: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185', stop: 'end_turn', usage: { inputTokens: 69, outputTokens: 53 } }],
  ['anthropic-message-delta-input-tokens.chunks.txt', { text: 'pong', stop: 'end_turn', usage: { inputTokens: 61, outputTokens: 2 } }],
];

function check(out: LLMResponse, want: Expect) {
  if (want.text instanceof RegExp) expect(out.text).toMatch(want.text);
  else expect(out.text).toBe(want.text);
  expect((out.toolCalls ?? []).map((c) => ({ id: c.id, name: c.name, args: c.arguments }))).toEqual(want.calls ?? []);
  for (const c of out.toolCalls ?? []) expect(() => JSON.parse(c.arguments as string)).not.toThrow();
  expect(out.finishReason).toBe(want.stop);
  expect(out.usage).toMatchObject(want.usage);
  if (want.reasoning !== undefined) expect(out.reasoning).toBe(want.reasoning);
}

describe('AnthropicBackend against recorded wire fixtures', () => {
  for (const [file, want] of STREAMED) {
    for (const chunkBytes of [undefined, 7]) {
      it(`${file} streamed${chunkBytes ? ' in 7-byte pieces' : ''}`, { timeout: 30_000 }, async () => {
        const raw = fixture(`anthropic/${file}`);
        const s = await serve([{ body: file.endsWith('.sse') ? raw : anthropicSSE(raw), chunkBytes }]);
        const deltas: LLMDelta[] = [];
        const out = await backend(s.url).generate(REQ, { signal: signal(), onDelta: (d) => void deltas.push(d) });
        check(out, want);
        expect(deltas.map((d) => d.text ?? '').join('')).toBe(out.text ?? '');
        (out.toolCalls ?? []).forEach((c, i) => {
          const pieces = deltas.filter((d) => d.toolCallIndex === i).map((d) => d.argumentsDelta ?? '').join('');
          expect(pieces || '{}').toBe(c.arguments);
        });
      });
    }
  }

  it('keeps signed thinking blocks and sends them back first, unchanged', async () => {
    const s = await serve([{ body: anthropicSSE(fixture('anthropic/anthropic-clear-thinking.1.chunks.txt')) }, { body: anthropicSSE(fixture('anthropic/anthropic-text.chunks.txt')) }]);
    const llm = backend(s.url);
    const first = await llm.generate(REQ, { signal: signal() });
    const blocks = first.providerData!.anthropic as { type: string; thinking: string; signature: string }[];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.signature).toHaveLength(332);
    await llm.generate({ ...REQ, messages: [...REQ.messages, { role: 'assistant', content: first.text!, providerData: first.providerData! }, { role: 'user', content: 'and?' }] }, { signal: signal() });
    const sent = s.seen[1]!.body as { messages: { role: string; content: { type: string }[] }[] };
    expect(sent.messages[1]).toEqual({ role: 'assistant', content: [blocks[0], { type: 'text', text: '925 ÷ 5 = 185' }] });
  });

  it('non-streamed bodies: text with tools, thinking before a tool, parallel tool_use', async () => {
    const nock = JSON.parse(fixture('anthropic/sdk-ts-tool-runner.nock.json')) as { response: unknown }[];
    const s = await serve([
      { body: fixture('anthropic/anthropic-tool-no-args.json') },
      { body: fixture('anthropic/issue-13430-thinking-tool-call.json') },
      { body: JSON.stringify(nock[2]!.response) },
    ]);
    const llm = backend(s.url, { stream: false });
    const a = await llm.generate(REQ, { signal: signal() });
    expect(a.text).toMatch(/^<thinking>\nThe updateIssueList tool was provided[\s\S]*Okay, I will update the current issue list:$/);
    expect(a).toMatchObject({ toolCalls: [{ id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', name: 'updateIssueList', arguments: '{}' }], finishReason: 'tool_use', usage: { inputTokens: 602, outputTokens: 93 } });
    const b = await llm.generate(REQ, { signal: signal() });
    expect(b).toMatchObject({ reasoning: 'The user wants me to call checkSandboxErrors immediately.', toolCalls: [{ id: 'toolu_017R7ACrx7NF7sLDDtvdQ1u9', name: 'checkSandboxErrors', arguments: '{}' }], usage: { inputTokens: 599, outputTokens: 59, reasoningTokens: 18 } });
    const c = await llm.generate(REQ, { signal: signal() });
    expect(c.toolCalls).toEqual([
      { id: 'toolu_0179r6ofLHbaispTuUAqMJfr', name: 'test_tool', arguments: '{"count":1}' },
      { id: 'toolu_012uz9XtyrRxAoELvYgkQnxi', name: 'test_tool', arguments: '{"count":2}' },
    ]);
    expect(c.usage).toMatchObject({ inputTokens: 418, outputTokens: 114 });
    expect(s.seen[0]!.body).not.toHaveProperty('stream');
  });

  it('sends system, alternating roles with tool results (and notes) in one user turn, tools, and its headers', async () => {
    const s = await serve([{ body: anthropicSSE(fixture('anthropic/anthropic-text.chunks.txt')) }]);
    await backend(s.url, { dangerouslyAllowBrowser: true }).generate({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 't1', name: 'get_weather', arguments: '{"city":"Paris"}' }, { id: 't2', name: 'get_weather', arguments: '{"city": "Rome"' }] },
        { role: 'tool', content: '20C', toolCallId: 't1', name: 'get_weather' },
        { role: 'tool', content: 'Error (invalid_json): …', toolCallId: 't2', name: 'get_weather' },
        { role: 'user', content: 'a note from a hook' },
      ],
      tools: [{ name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      parallelToolCalls: false,
    }, { signal: signal() });
    const { body, headers, url } = s.seen[0]!;
    expect(url).toBe('/v1/messages');
    expect(headers['x-api-key']).toBe('sk-ant-test-secret-key-000111');
    expect(headers['anthropic-version']).toBe('2023-06-01');
    expect(headers['anthropic-dangerous-direct-browser-access']).toBe('true');
    expect(body).toEqual({
      model: 'claude-sonnet-4-5', max_tokens: 4096, system: 'Be brief.', stream: true,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
        { role: 'assistant', content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 't2', name: 'get_weather', input: {} },
        ] },
        { role: 'user', content: [
          { type: 'tool_result', tool_use_id: 't1', content: '20C' },
          { type: 'tool_result', tool_use_id: 't2', content: 'Error (invalid_json): …' },
          { type: 'text', text: 'a note from a hook' },
        ] },
      ],
      tools: [{ name: 'get_weather', description: 'Weather.', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
    });
    const plain = await serve([{ body: anthropicSSE(fixture('anthropic/anthropic-text.chunks.txt')) }]);
    await backend(plain.url).generate(REQ, { signal: signal() });
    expect(plain.seen[0]!.headers['anthropic-dangerous-direct-browser-access']).toBeUndefined();
  });
});

describe('AnthropicBackend faults', () => {
  it('retries the recorded 429s (x-should-retry: true) and then streams: 3 requests', async () => {
    const cassette = JSON.parse(fixture('anthropic/sdk-py-rate-limit-429-then-stream.cassette.json')) as { response: { status_code: number; headers: Record<string, string>; body: unknown } }[];
    const replies: Reply[] = cassette.map(({ response }) => ({
      status: response.status_code,
      headers: { 'x-should-retry': response.headers['x-should-retry'] ?? '', 'retry-after-ms': '5' },
      body: typeof response.body === 'string' ? response.body : JSON.stringify(response.body),
    }));
    const s = await serve(replies);
    const out = await backend(s.url, { maxRetries: 2 }).generate(REQ, { signal: signal() });
    expect(out).toMatchObject({ text: '[12345,67890]', finishReason: 'end_turn', usage: { inputTokens: 135, outputTokens: 10 } });
    expect(s.seen).toHaveLength(3);
  });

  it('a 400 is bad_request, not retried, with the API message and no key', async () => {
    const s = await serve([{ status: 400, body: fixture('anthropic/anthropic-issue-17366-error.json') }]);
    const err = (await backend(s.url, { maxRetries: 3 }).generate(REQ, { signal: signal() }).catch((e: unknown) => e)) as LLMError;
    expect(err).toMatchObject({ kind: 'bad_request', status: 400, retriable: false });
    expect(err.message).toMatch(/unexpected `tool_use_id` found in `tool_result` blocks/);
    expect(err.message).not.toContain('test-secret');
    expect(s.seen).toHaveLength(1);
  });

  it('an overloaded error event inside the stream is a retriable server error', async () => {
    const s = await serve([{ body: 'event: message_start\ndata: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":1}}}\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n' }]);
    await expect(backend(s.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'server', retriable: true, message: expect.stringMatching(/Overloaded/) });
  });

  it('a stream cut mid-way or ending without message_stop is a network error; a non-JSON line is malformed', async () => {
    const body = anthropicSSE(fixture('anthropic/anthropic-json-tool.1.chunks.txt'));
    const cut = await serve([{ body, chunkBytes: 64, cutAfter: 400 }]);
    await expect(backend(cut.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'network' });
    const early = await serve([{ body: body.slice(0, body.indexOf('event: message_stop')) }]);
    await expect(backend(early.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'network', message: expect.stringMatching(/before message_stop/) });
    const junk = await serve([{ body: 'event: ping\ndata: <html>\n\n' }]);
    await expect(backend(junk.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('tool input that never closes (stopped at max_tokens) is malformed; a body without content is malformed', async () => {
    const lines = fixture('anthropic/anthropic-json-tool.1.chunks.txt').split('\n').filter(Boolean);
    const truncated = lines.filter((l) => !l.includes('"}]}"') && !l.includes('"partial_json":"}"')).map((l) => l.replace('"stop_reason":"tool_use"', '"stop_reason":"max_tokens"'));
    const s = await serve([{ body: anthropicSSE(truncated.join('\n')) }]);
    await expect(backend(s.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'malformed', message: expect.stringMatching(/never closed/) });
    const nb = await serve([{ body: '{"type":"message","role":"assistant"}' }]);
    await expect(backend(nb.url, { stream: false }).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('abort cancels at once', async () => {
    const s = await serve([{ body: anthropicSSE(fixture('anthropic/anthropic-text.chunks.txt')), delayMs: 5000 }]);
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 30);
    const t = Date.now();
    await expect(backend(s.url, { maxRetries: 2 }).generate(REQ, { signal: ctrl.signal })).rejects.toMatchObject({ kind: 'aborted' });
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe('AnthropicBackend in the loop', () => {
  it('runs three parallel tool_use calls from a recorded stream, then finishes', async () => {
    const done = 'event: message_start\ndata: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":900,"output_tokens":1}}}\n\n' +
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_done","name":"done","input":{}}}\n\n' +
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"answer\\": \\"3 searches\\"}"}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":12}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n'; // hand-written
    const s = await serve([{ body: anthropicSSE(fixture('anthropic/anthropic-issue-15652-false.chunks.txt')), chunkBytes: 9 }, { body: done }]);
    const queries: string[] = [];
    const tools = new ToolRegistry().register({ name: 'searchDocs', description: 'Search.', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] }, execute: ({ query }) => { queries.push(String(query)); return [`doc about ${String(query)}`]; } });
    const { steps, outcome } = await collect(composableLoop({ llm: backend(s.url), tools, task: 'Search alpha, beta, gamma.' }));
    expect(queries.sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(steps.map((x) => x.toolCall.name)).toEqual(['searchDocs', 'searchDocs', 'searchDocs', 'done']);
    expect(outcome).toMatchObject({ status: 'done', answer: '3 searches', usage: { inputTokens: 798 + 900, outputTokens: 110 + 12 } });
    const second = s.seen[1]!.body as { messages: { role: string; content: { type: string; tool_use_id?: string }[] }[] };
    expect(second.messages.at(-1)!.content.map((b) => b.tool_use_id)).toEqual(['toolu_01LtEf4h1QW7KCKLsYMuhTNB', 'toolu_016tfZE7otAFSBjhc67wu189', 'toolu_01XkU35z8BVWqqc9tijDuLrA']);
  });
});
