import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { openAISDKBackend } from '../../lib/backends/openai-sdk.ts';
import { collect, composableLoop, ToolRegistry, type LLMRequest } from '../../lib/index.ts';
import { fixture, openaiSSE, useWireServers } from './wire-server.ts';

const REQ: LLMRequest = { messages: [{ role: 'user', content: 'hi' }], tools: [], system: 'sys' };
const serve = useWireServers();

const client = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-test-sdk-key-999999', maxRetries: 0 });

describe('openAISDKBackend (the official openai package underneath)', () => {
  it('assembles a streamed parallel tool-call reply exactly like the fetch backend', async () => {
    const s = await serve([{ body: fixture('openai-chat/gpt-4o-stream-parallel-tool-calls.sse'), chunkBytes: 11 }]);
    const out = await openAISDKBackend(client(s.url), { model: 'gpt-4o' }).generate(REQ, { signal: new AbortController().signal });
    expect(out.toolCalls).toEqual([
      { id: 'call_JMW1whyEaYG438VE1OIflxA2', name: 'GetWeatherArgs', arguments: '{"city": "Edinburgh", "country": "GB", "units": "c"}' },
      { id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou', name: 'get_stock_price', arguments: '{"ticker": "AAPL", "exchange": "NASDAQ"}' },
    ]);
    expect(out.usage).toMatchObject({ inputTokens: 149, outputTokens: 60, totalTokens: 209 });
    expect(s.seen[0]!.body).toMatchObject({ model: 'gpt-4o', stream: true, messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'hi' }] });
  });

  it('parses a non-streamed reply and maps SDK errors to typed LLMErrors', async () => {
    const s = await serve([{ body: fixture('openai-chat/gpt-4o-tool-call.json') }, { status: 400, body: fixture('openai-chat/reasoning-model-legacy-parameter-error.json') }]);
    const llm = openAISDKBackend(client(s.url), { model: 'gpt-4o', stream: false });
    const out = await llm.generate(REQ, { signal: new AbortController().signal });
    expect(out.toolCalls).toEqual([{ id: 'call_CUdUoJpsWWVdxXntucvnol1M', name: 'get_weather', arguments: '{"city":"San Francisco","state":"CA"}' }]);
    const err = await llm.generate(REQ, { signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'bad_request', status: 400, retriable: false });
    expect(String((err as Error).message)).not.toContain('sk-test-sdk');
  });

  it('drives the loop', async () => {
    const done = openaiSSE('{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"d1","type":"function","function":{"name":"done","arguments":"{\\"answer\\":42}"}}]},"finish_reason":"tool_calls"}]}');
    const s = await serve([{ body: done }]);
    const { outcome } = await collect(composableLoop({ llm: openAISDKBackend(client(s.url), { model: 'm' }), tools: new ToolRegistry(), task: 't' }));
    expect(outcome).toMatchObject({ status: 'done', answer: 42 });
  });
});
