import { describe, expect, it } from 'vitest';
import { OpenAIBackend } from '../../lib/backends/openai/backend.ts';
import { collect, composableLoop, LLMError, ToolRegistry, type LLMDelta, type LLMRequest, type LLMResponse, type LoopEvent } from '../../lib/index.ts';
import { fixture, openaiSSE, useWireServers, wireServer, type Reply } from './wire-server.ts';

const REQ: LLMRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [], system: 'sys' };
const serve = useWireServers();

const backend = (url: string, extra: Partial<ConstructorParameters<typeof OpenAIBackend>[0]> = {}) =>
  new OpenAIBackend({ baseURL: `${url}/v1`, apiKey: 'sk-test-secret-key-123456', model: 'gpt-4o', maxRetries: 0, ...extra });

interface Expect {
  text?: string | RegExp;
  calls?: { id?: string; name: string; args: string }[];
  stop?: string;
  usage?: LLMResponse['usage'];
  reasoning?: string;
  model?: string;
}

// The expected parse of each recording, as test/fixtures/wire/README.md states it.
const STREAMED: [string, string, Expect][] = [
  ['openai-chat/gpt-4o-stream-text-usage.sse', 'sse', {
    text: "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or a weather app.",
    stop: 'stop', usage: { inputTokens: 14, outputTokens: 30, totalTokens: 44, reasoningTokens: 0 },
  }],
  ['openai-chat/gpt-4o-stream-tool-call.sse', 'sse', {
    calls: [{ id: 'call_4XzlGBLtUe9dy3GVNV4jhq7h', name: 'get_weather', args: '{"city":"New York City"}' }],
    stop: 'tool_calls', usage: { inputTokens: 44, outputTokens: 16, totalTokens: 60, reasoningTokens: 0 },
  }],
  ['openai-chat/gpt-4o-stream-parallel-tool-calls.sse', 'sse', {
    calls: [
      { id: 'call_JMW1whyEaYG438VE1OIflxA2', name: 'GetWeatherArgs', args: '{"city": "Edinburgh", "country": "GB", "units": "c"}' },
      { id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou', name: 'get_stock_price', args: '{"ticker": "AAPL", "exchange": "NASDAQ"}' },
    ],
    stop: 'tool_calls', usage: { inputTokens: 149, outputTokens: 60, totalTokens: 209, reasoningTokens: 0 },
  }],
  ['openai-chat/issue-15789-step-1.chunks.txt', 'chunks', {
    text: 'PRE_TOOL', calls: [{ id: 'call_NZa7xqfefoaMI2YYHowVXVlU', name: 'weather', args: '{}' }], stop: 'tool_calls',
    usage: { inputTokens: 58, outputTokens: 12, totalTokens: 70, cachedInputTokens: 0, reasoningTokens: 0 },
  }],
  ['openai-chat/openai-text.chunks.txt', 'chunks', {
    text: /^\*\*Holiday Name:\*\* Harmony Day\n\n\*\*Date:\*\* Celebrated annually on the first Saturday of May[\s\S]*connected through shared human experiences and mutual respect\.$/,
    stop: 'stop', usage: { inputTokens: 16, outputTokens: 300, totalTokens: 316, cachedInputTokens: 0, reasoningTokens: 0 },
  }],
  ['compat/alibaba-tool-call.chunks.txt', 'chunks', {
    calls: [{ id: 'call_eee11723464a4b9eb8cee71d', name: 'weather', args: '{"location": "San Francisco"}' }], stop: 'tool_calls',
    usage: { inputTokens: 295, outputTokens: 22, totalTokens: 317 },
  }],
  ['compat/mistral-tool-call.chunks.txt', 'chunks', {
    calls: [{ id: 'gSIMJiOkT', name: 'weather', args: '{"location": "San Francisco"}' }], stop: 'tool_calls',
    usage: { inputTokens: 124, outputTokens: 22, totalTokens: 146 },
  }],
  ['compat/mistral-incremental-tool-call.chunks.txt', 'chunks', {
    calls: [{ id: 'chatcmpl-tool-9f149c74c42f265b', name: 'webSearchTool', args: '{"query": "current Berlin weather"}' }], stop: 'tool_calls',
    usage: { inputTokens: 171, outputTokens: 14, totalTokens: 185 },
  }],
  ['compat/anthropic-fallback-tool-call.sse', 'sse', {
    text: 'Reading it.', calls: [{ id: 'toolu_sanitized', name: 'read_file', args: '{"path": "a.txt"}' }], stop: 'tool_calls', usage: undefined,
  }],
  ['compat/azure-model-router.1.chunks.txt', 'chunks', {
    text: 'Capital of Denmark.', stop: 'stop', model: 'gpt-5-nano-2025-08-07',
    usage: expect.objectContaining({ inputTokens: 15, outputTokens: 78, totalTokens: 93, reasoningTokens: 64 }) as never,
  }],
  ['compat/groq-tool-call.chunks.txt', 'chunks', {
    calls: [{ id: 'tk85n1k4m', name: 'weather', args: '{}' }], stop: 'tool_calls', usage: expect.objectContaining({ inputTokens: 210, outputTokens: 15, totalTokens: 225 }) as never,
  }],
  ['compat/deepseek-tool-call.chunks.txt', 'chunks', {
    reasoning: 'The user is asking for the weather in San Francisco. I need to use the weather tool to get this information. Let me invoke the weather tool with the location parameter set to "San Francisco".',
    calls: [{ id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', name: 'weather', args: '{"location": "San Francisco"}' }], stop: 'tool_calls',
    usage: expect.objectContaining({ inputTokens: 339, outputTokens: 83, totalTokens: 422, reasoningTokens: 39, cachedInputTokens: 320 }) as never,
  }],
  ['compat/xai-tool-call.chunks.txt', 'chunks', {
    reasoning: 'First, the user is', calls: [{ id: 'call_55117580', name: 'weather', args: '{"location":"San Francisco"}' }], stop: 'tool_calls',
    usage: expect.objectContaining({ inputTokens: 291, outputTokens: 26, totalTokens: 513, reasoningTokens: 196 }) as never,
  }],
  ['compat/issue-20203-empty-tool-calls.chunks.txt', 'chunks', { text: 'Hello', reasoning: 'Think more...', stop: 'stop', usage: undefined }],
  ['compat/placeholder-first-chunk.chunks.txt', 'chunks', { text: 'Hello', stop: 'stop', model: 'actual-model-name', usage: { inputTokens: 10, outputTokens: 1, totalTokens: 11 } }],
];

const BODIES: [string, Expect][] = [
  ['openai-chat/gpt-4o-tool-call.json', {
    calls: [{ id: 'call_CUdUoJpsWWVdxXntucvnol1M', name: 'get_weather', args: '{"city":"San Francisco","state":"CA"}' }], stop: 'tool_calls',
    usage: expect.objectContaining({ inputTokens: 48, outputTokens: 19, totalTokens: 67 }) as never,
  }],
  ['openai-chat/gpt-4o-parallel-tool-calls.json', {
    calls: [
      { id: 'call_fdNz3vOBKYgOIpMdWotB9MjY', name: 'GetWeatherArgs', args: '{"city": "Edinburgh", "country": "GB", "units": "c"}' },
      { id: 'call_h1DWI1POMJLb0KwIyQHWXD4p', name: 'get_stock_price', args: '{"ticker": "AAPL", "exchange": "NASDAQ"}' },
    ],
    stop: 'tool_calls', usage: expect.objectContaining({ inputTokens: 149, outputTokens: 60, totalTokens: 209 }) as never,
  }],
  ['openai-chat/openai-text.json', {
    text: /^\*\*Holiday Name:\*\* Galaxy Day[\s\S]*inspiring individuals to look up and dream beyond our world\.$/, stop: 'stop',
    usage: expect.objectContaining({ inputTokens: 16, outputTokens: 363, totalTokens: 379 }) as never,
  }],
];

function check(out: LLMResponse, want: Expect) {
  if (want.text instanceof RegExp) expect(out.text).toMatch(want.text);
  else expect(out.text).toBe(want.text);
  const calls = out.toolCalls ?? [];
  expect(calls.map((c) => ({ id: c.id, name: c.name, args: c.arguments }))).toEqual(want.calls ?? []);
  for (const c of calls) expect(() => JSON.parse(c.arguments as string)).not.toThrow();
  expect(out.finishReason).toBe(want.stop);
  if ('usage' in want) {
    if (want.usage === undefined) expect(out.usage).toBeUndefined();
    else expect(out.usage).toMatchObject(want.usage);
  }
  if (want.reasoning !== undefined) expect(out.reasoning).toBe(want.reasoning);
  if (want.model !== undefined) expect(out.model).toBe(want.model);
}

describe('OpenAIBackend (Chat Completions) against recorded wire fixtures', () => {
  for (const [file, kind, want] of STREAMED) {
    for (const chunkBytes of [undefined, 7]) {
      it(`${file} streamed${chunkBytes ? ' in 7-byte pieces' : ''}`, { timeout: 30_000 }, async () => {
        const body = kind === 'sse' ? fixture(file) : openaiSSE(fixture(file));
        const s = await serve([{ body, chunkBytes }]);
        const deltas: LLMDelta[] = [];
        const out = await backend(s.url).generate(REQ, { signal: new AbortController().signal, onDelta: (d) => void deltas.push(d) });
        check(out, want);
        // the deltas add up to the reply
        expect(deltas.map((d) => d.text ?? '').join('')).toBe(out.text ?? '');
        (out.toolCalls ?? []).forEach((c, i) => expect(deltas.filter((d) => d.toolCallIndex === i).map((d) => d.argumentsDelta ?? '').join('')).toBe(c.arguments));
      });
    }
  }

  for (const [file, want] of BODIES) {
    it(`${file} not streamed`, async () => {
      const s = await serve([{ body: fixture(file) }]);
      const out = await backend(s.url, { stream: false }).generate(REQ, { signal: new AbortController().signal });
      check(out, want);
      expect((s.seen[0]!.body as { stream?: boolean }).stream).toBeUndefined();
    });
  }
});

describe('OpenAIBackend requests', () => {
  it('sends the system prompt, multi-turn messages with tool calls bound to results, tools and the key', async () => {
    const s = await serve([{ body: openaiSSE(fixture('openai-chat/gpt-4o-stream-text-usage.sse').split('\n').filter((l) => l.startsWith('data: {')).map((l) => l.slice(6)).join('\n')) }]);
    const request: LLMRequest = {
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { role: 'tool', content: '{"temp":20}', toolCallId: 'c1', name: 'get_weather' },
      ],
      tools: [{ name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      parallelToolCalls: false,
    };
    await backend(s.url, { maxTokens: 100 }).generate(request, { signal: new AbortController().signal });
    const { body, headers, url } = s.seen[0]!;
    expect(url).toBe('/v1/chat/completions');
    expect(headers.authorization).toBe('Bearer sk-test-secret-key-123456');
    expect(body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"temp":20}' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      max_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('prices usage when given prices (longest model-name prefix)', async () => {
    const s = await serve([{ body: fixture('openai-chat/gpt-4o-stream-tool-call.sse') }]);
    const out = await backend(s.url, { prices: { 'gpt-4o': { input: 2.5, output: 10 } } }).generate(REQ, { signal: new AbortController().signal });
    expect(out.usage!.costUsd).toBeCloseTo((44 * 2.5 + 16 * 10) / 1e6, 12);
  });
});

describe('OpenAIBackend faults', () => {
  const signal = () => new AbortController().signal;
  const tool = openaiSSE(fixture('openai-chat/gpt-4o-stream-tool-call.sse').split('\n').filter((l) => l.startsWith('data: {')).map((l) => l.slice(6)).join('\n'));

  it('retries a 429 after the Retry-After it was given, then succeeds', async () => {
    const s = await serve([{ status: 429, headers: { 'retry-after-ms': '20' }, body: '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}' }, { body: tool }]);
    const out = await backend(s.url, { maxRetries: 2 }).generate(REQ, { signal: signal() });
    expect(out.toolCalls).toHaveLength(1);
    expect(s.seen).toHaveLength(2);
  });

  it('retries a 500, then succeeds; gives up after maxRetries with a typed, retriable error', async () => {
    const ok = await serve([{ status: 500, headers: { 'retry-after': '0' }, body: '{"error":{"message":"boom"}}' }, { body: tool }]);
    await backend(ok.url, { maxRetries: 1 }).generate(REQ, { signal: signal() });
    expect(ok.seen).toHaveLength(2);
    const bad = await serve([{ status: 503, headers: { 'retry-after': '0' }, body: '{"error":{"message":"overloaded"}}' }]);
    const err = await backend(bad.url, { maxRetries: 2 }).generate(REQ, { signal: signal() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LLMError);
    expect(err).toMatchObject({ kind: 'server', status: 503, retriable: true });
    expect(bad.seen).toHaveLength(3);
  });

  it('does not retry a 429 for insufficient quota', async () => {
    const s = await serve([{ status: 429, body: fixture('openai-responses/openai-error.1.json') }]);
    const err = await backend(s.url, { maxRetries: 3 }).generate(REQ, { signal: signal() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rate_limit', retriable: false, message: expect.stringMatching(/You exceeded your current quota/) });
    expect(s.seen).toHaveLength(1);
  });

  it('maps a 400 to bad_request (not retried), with the provider message and no key', async () => {
    const s = await serve([{ status: 400, body: fixture('openai-chat/reasoning-model-legacy-parameter-error.json') }]);
    const err = (await backend(s.url, { maxRetries: 3 }).generate(REQ, { signal: signal() }).catch((e: unknown) => e)) as LLMError;
    expect(err).toMatchObject({ kind: 'bad_request', status: 400, retriable: false });
    expect(err.message).toMatch(/Unsupported parameter: 'max_tokens'/);
    expect(err.message).not.toMatch(/sk-test-secret/);
    expect(s.seen).toHaveLength(1);
    const q = await serve([{ status: 400, body: fixture('compat/qwen-plus-malformed-replayed-tool-arguments-error.json') }]);
    await expect(backend(q.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'bad_request', message: expect.stringMatching(/must be in JSON format/) });
  });

  it('maps context-length and auth errors', async () => {
    const s = await serve([{ status: 400, body: '{"error":{"message":"This model\'s maximum context length is 8192 tokens.","code":"context_length_exceeded"}}' }]);
    await expect(backend(s.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'context_length' });
    const a = await serve([{ status: 401, body: '{"error":{"message":"Incorrect API key provided: sk-test-secret-key-123456"}}' }]);
    const err = (await backend(a.url).generate(REQ, { signal: signal() }).catch((e: unknown) => e)) as LLMError;
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain('secret-key-123456'); // even when the server echoes the key back
  });

  it('an HTML error page from a proxy is a clear error', async () => {
    const s = await serve([{ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' }]);
    const err = (await backend(s.url).generate(REQ, { signal: signal() }).catch((e: unknown) => e)) as LLMError;
    expect(err).toMatchObject({ kind: 'server', status: 502 });
    expect(err.message).toMatch(/HTML page \("502 Bad Gateway"\)/);
  });

  it('a stream cut mid-way is a network error, not a hang', async () => {
    const s = await serve([{ body: tool, cutAfter: 400, chunkBytes: 100 }]);
    await expect(backend(s.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'network' });
  });

  it('a stream that ends without finishing is an error', async () => {
    const lines = fixture('openai-chat/gpt-4o-stream-tool-call.sse').split('\n').filter((l) => l.startsWith('data: {')).map((l) => l.slice(6));
    const s = await serve([{ body: openaiSSE(lines.slice(0, 4).join('\n'), false) }]);
    await expect(backend(s.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'network', message: expect.stringMatching(/ended before the reply was complete/) });
  });

  it('tool-call arguments that never close are malformed', async () => {
    const lines = fixture('openai-chat/gpt-4o-stream-tool-call.sse').split('\n').filter((l) => l.startsWith('data: {')).map((l) => l.slice(6));
    const s = await serve([{ body: openaiSSE([...lines.slice(0, 5), '{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}'].join('\n')) }]);
    await expect(backend(s.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'malformed', message: expect.stringMatching(/never closed/) });
  });

  it('a data line that is not JSON is malformed', async () => {
    const s = await serve([{ body: 'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: <oops>\n\n' }]);
    await expect(backend(s.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'malformed' });
  });

  it('an error event inside a 200 stream is a typed error', async () => {
    const s = await serve([{ body: fixture('compat/groq-gpt-oss-tool-use-failed-stream-error.sse') }]);
    await expect(backend(s.url).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'bad_request', status: 400, message: expect.stringMatching(/Tool call validation failed/) });
  });

  it('a non-streamed body with no choices is malformed; one with choices: [] and usage in a stream is normal', async () => {
    const s = await serve([{ body: '{"id":"x","object":"chat.completion","choices":[]}' }]);
    await expect(backend(s.url, { stream: false }).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'malformed', message: expect.stringMatching(/no choices/) });
  });

  it('a network error (nothing listening) is retried, then reported as network', async () => {
    const s = await wireServer([{ body: '' }]);
    const url = s.url;
    await s.close(); // nothing listens there any more
    const t = Date.now();
    const err = await backend(url, { maxRetries: 1 }).generate(REQ, { signal: signal() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'network', retriable: true });
    expect(Date.now() - t).toBeGreaterThanOrEqual(400); // one backoff (0.5–1 s) happened
  });

  it('abort cancels the in-flight request at once, and is never retried', async () => {
    const s = await serve([{ body: tool, delayMs: 5000 }]);
    const ctrl = new AbortController();
    const t = Date.now();
    setTimeout(() => ctrl.abort(), 50);
    await expect(backend(s.url, { maxRetries: 3 }).generate(REQ, { signal: ctrl.signal })).rejects.toMatchObject({ kind: 'aborted' });
    expect(Date.now() - t).toBeLessThan(2000);
    expect(s.seen).toHaveLength(1);
  });

  it('a silent server hits the timeout (retriable)', async () => {
    const s = await serve([{ body: tool, delayMs: 3000 }]);
    await expect(backend(s.url, { timeoutMs: 100 }).generate(REQ, { signal: signal() })).rejects.toMatchObject({ kind: 'timeout', retriable: true });
  });
});

describe('OpenAIBackend in the loop', () => {
  it('runs tools from a streamed reply, emits llm.delta events, and ends with an error after exhausted retries — no tool runs from a half reply', async () => {
    const toolStream = fixture('openai-chat/gpt-4o-stream-tool-call.sse');
    const done = openaiSSE('{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"d1","type":"function","function":{"name":"done","arguments":"{\\"answer\\":\\"sunny\\"}"}}]},"finish_reason":"tool_calls"}]}');
    const s = await serve([{ body: toolStream, chunkBytes: 13 }, { body: done }]);
    const ran: unknown[] = [];
    const tools = new ToolRegistry().register({
      name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      execute: (a) => { ran.push(a); return { temp: 20 }; },
    });
    const events: LoopEvent[] = [];
    const { steps, outcome } = await collect(composableLoop({ llm: backend(s.url), tools, task: 'Weather in NYC?', hooks: [{ onEvent: (e) => void events.push(e) }] }));
    expect(ran).toEqual([{ city: 'New York City' }]);
    expect(steps.map((x) => x.toolCall.name)).toEqual(['get_weather', 'done']);
    expect(outcome).toMatchObject({ status: 'done', answer: 'sunny', usage: { inputTokens: 44, outputTokens: 16, totalTokens: 60 } });
    const deltas = events.filter((e) => e.type === 'llm.delta');
    expect(deltas.map((d) => (d.type === 'llm.delta' ? d.argumentsDelta ?? '' : '')).join('')).toBe('{"city":"New York City"}{"answer":"sunny"}');
    expect(JSON.stringify(events)).not.toContain('sk-test-secret');
    // the second request carried the call and its result, bound by id
    const second = s.seen[1]!.body as { messages: { role: string; tool_call_id?: string }[] };
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_4XzlGBLtUe9dy3GVNV4jhq7h' });

    const cut = await serve([{ body: toolStream, cutAfter: 500, chunkBytes: 100 }]);
    const r2 = await collect(composableLoop({ llm: backend(cut.url), tools, task: 'again' }));
    expect(r2.steps).toHaveLength(0);
    expect(r2.outcome).toMatchObject({ status: 'error', reason: 'llm_error', error: { kind: 'network' } });
    expect(ran).toHaveLength(1);
  });
});

describe('every fault, through the loop: a typed error in the outcome, the attempts made, and no tool run', () => {
  const toolLines = () => fixture('openai-chat/gpt-4o-stream-tool-call.sse').split('\n').filter((l) => l.startsWith('data: {')).map((l) => l.slice(6));
  const whole = () => openaiSSE(toolLines().join('\n'));
  const cases: [string, Reply[], Partial<ConstructorParameters<typeof OpenAIBackend>[0]>, string, number][] = [
    ['429 until retries run out', [{ status: 429, headers: { 'retry-after-ms': '5' }, body: '{"error":{"message":"slow down","code":"rate_limit_exceeded"}}' }], { maxRetries: 2 }, 'rate_limit', 3],
    ['500 until retries run out', [{ status: 500, headers: { 'retry-after-ms': '5' }, body: '{"error":{"message":"boom"}}' }], { maxRetries: 1 }, 'server', 2],
    ['429 insufficient_quota', [{ status: 429, body: fixture('openai-responses/openai-error.1.json') }], { maxRetries: 2 }, 'rate_limit', 1],
    ['400 bad request', [{ status: 400, body: fixture('openai-chat/reasoning-model-legacy-parameter-error.json') }], { maxRetries: 2 }, 'bad_request', 1],
    ['401 auth', [{ status: 401, body: '{"error":{"message":"bad key"}}' }], { maxRetries: 2 }, 'auth', 1],
    ['HTML 502 page', [{ status: 502, headers: { 'content-type': 'text/html', 'retry-after-ms': '5' }, body: '<html><title>Bad Gateway</title></html>' }], { maxRetries: 1 }, 'server', 2],
    ['stream cut mid-way', [{ body: whole(), chunkBytes: 50, cutAfter: 300 }], { maxRetries: 2 }, 'network', 1],
    ['stream ends early', [{ body: openaiSSE(toolLines().slice(0, 5).join('\n'), false) }], { maxRetries: 2 }, 'network', 1],
    ['arguments never close', [{ body: openaiSSE([...toolLines().slice(0, 5), '{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}'].join('\n')) }], {}, 'malformed', 1],
    ['non-JSON data line', [{ body: 'data: {"choices":[]}\n\ndata: not json\n\n' }], {}, 'malformed', 1],
    ['error event in a 200 stream', [{ body: fixture('compat/groq-gpt-oss-tool-use-failed-stream-error.sse') }], {}, 'bad_request', 1],
    ['no choices (not streamed)', [{ body: '{"choices":[]}' }], { stream: false }, 'malformed', 1],
    ['silent server', [{ body: whole(), delayMs: 2000 }], { timeoutMs: 50, maxRetries: 1 }, 'timeout', 2],
  ];
  for (const [name, replies, opts, kind, attempts] of cases) {
    it(name, async () => {
      const s = await serve(replies);
      let ran = 0;
      const tools = new ToolRegistry().register({ name: 'get_weather', description: 'w', parameters: { type: 'object' }, execute: () => { ran++; return 1; } });
      const { outcome, steps } = await collect(composableLoop({ llm: backend(s.url, opts), tools, task: 't' }));
      expect(outcome).toMatchObject({ status: 'error', reason: 'llm_error', error: { kind } });
      expect(s.seen).toHaveLength(attempts);
      expect(steps).toHaveLength(0);
      expect(ran).toBe(0);
    });
  }

  it('abort during the request ends the run aborted, one attempt, no tool run', async () => {
    const s = await serve([{ body: whole(), delayMs: 3000 }]);
    let ran = 0;
    const tools = new ToolRegistry().register({ name: 'get_weather', description: 'w', parameters: { type: 'object' }, execute: () => { ran++; return 1; } });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 30);
    const { outcome } = await collect(composableLoop({ llm: backend(s.url, { maxRetries: 3 }), tools, task: 't', signal: ctrl.signal }));
    expect(outcome.status).toBe('aborted');
    expect(s.seen).toHaveLength(1);
    expect(ran).toBe(0);
  });
});
