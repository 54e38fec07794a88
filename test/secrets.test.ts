// Secrets never leave a backend: a key of a shape no pattern knows (Groq's gsk_…, a gateway
// token) and a configured header value, echoed back by the server in errors, streamed error
// events and even the reply text, are found in no artifact — events, JSONL, checkpoints in every
// store, provenance files, OTLP bodies, outcomes, error messages and stacks.
import 'fake-indexeddb/auto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  AnthropicBackend, CheckpointHook, collect, composableLoop, kvStore, memoryStore, memoryWriter, OpenAIBackend, ProvenanceSink, toJSONL, ToolRegistry,
  TracingHook, type CheckpointStore, type LLMBackend, type LoopEvent, type OtlpSpan,
} from '../lib/index.ts';
import { openAISDKBackend } from '../lib/backends/openai-sdk.ts';
import { fileStore } from '../lib/stores/file.node.ts';
import { indexedDBStore } from '../lib/stores/idb.ts';
import { useWireServers, type Reply } from './backends/wire-server.ts';

const KEY = 'gsk_CanaryKey9f8e7d6c5b4a3928171615';
const TOKEN = 'gw-tok-Canary-42-ZXCVBNMASDFGHJKL';
const serve = useWireServers();
const echo = `Incorrect API key provided: ${KEY} (token ${TOKEN}, Bearer ${KEY})`;

type Kind = 'chat' | 'chat-sync' | 'responses' | 'anthropic' | 'sdk';

/** What each backend's server sends, in its own wire format: an echoing error, an echoing streamed error, a reply that echoes and then finishes. */
function replies(kind: Kind): Record<'http' | 'stream' | 'text', Reply[]> {
  const http = [{ status: 401, body: JSON.stringify({ error: { message: echo, type: 'invalid_request_error', code: 'invalid_api_key' } }) }];
  if (kind === 'anthropic') {
    const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const message = (blocks: object[]) => ev('message_start', { message: { model: 'm', usage: { input_tokens: 1 } } }) + blocks.map((b, i) => ev('content_block_start', { index: i, content_block: b })).join('') + ev('message_delta', { delta: { stop_reason: 'tool_use' } }) + ev('message_stop', {});
    return {
      http: [{ status: 401, body: JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: echo } }) }],
      stream: [{ body: ev('message_start', { message: { model: 'm' } }) + ev('error', { error: { type: 'overloaded_error', message: echo } }) }],
      text: [{ body: message([{ type: 'text', text: echo }, { type: 'tool_use', id: 't1', name: 'done', input: { answer: 'ok' } }]) }],
    };
  }
  if (kind === 'responses') {
    const ev = (data: { type: string }) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    const item = { type: 'function_call', id: 'fc1', call_id: 'c1', name: 'done', arguments: '{"answer":"ok"}' };
    return {
      http,
      stream: [{ body: ev({ type: 'response.created', response: { id: 'r', status: 'in_progress' } } as never) + ev({ type: 'error', message: echo, code: 'server_error' } as never) }],
      text: [{ body: [
        ev({ type: 'response.output_text.delta', delta: echo, output_index: 0, item_id: 'm1' } as never),
        ev({ type: 'response.output_item.done', output_index: 0, item: { type: 'message', id: 'm1', role: 'assistant', content: [{ type: 'output_text', text: echo }] } } as never),
        ev({ type: 'response.output_item.done', output_index: 1, item } as never),
        ev({ type: 'response.completed', response: { id: 'r', status: 'completed', output: [item], usage: { input_tokens: 1, output_tokens: 1 } } } as never),
      ].join('') }],
    };
  }
  const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const done = { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'done', arguments: '{"answer":"ok"}' } }] };
  if (kind === 'chat-sync') {
    return {
      http,
      stream: [{ body: JSON.stringify({ error: { message: echo, code: 'invalid_api_key' } }) }],
      text: [{ body: JSON.stringify({ choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: echo, tool_calls: [{ id: 'c1', type: 'function', function: done.tool_calls[0]!.function }] } }] }) }],
    };
  }
  return {
    http,
    stream: [{ body: chunk({ content: 'hi' }) + `data: ${JSON.stringify({ error: { message: echo, code: 'server_error' } })}\n\n` }],
    text: [{ body: chunk({ content: echo.slice(0, 20) }) + chunk({ content: echo.slice(20) }) + chunk(done, 'tool_calls') + 'data: [DONE]\n\n' }],
  };
}

function backend(kind: Kind, url: string): LLMBackend {
  const headers = { 'x-gateway-token': TOKEN };
  switch (kind) {
    case 'chat': return new OpenAIBackend({ baseURL: url, apiKey: KEY, model: 'm', headers, maxRetries: 0 });
    case 'chat-sync': return new OpenAIBackend({ baseURL: url, apiKey: KEY, model: 'm', headers, maxRetries: 0, stream: false });
    case 'responses': return new OpenAIBackend({ baseURL: url, apiKey: KEY, model: 'm', headers, maxRetries: 0, api: 'responses' });
    case 'anthropic': return new AnthropicBackend({ baseURL: url, apiKey: KEY, model: 'm', headers, maxRetries: 0 });
    case 'sdk': return openAISDKBackend(new OpenAI({ baseURL: url, apiKey: KEY, maxRetries: 0, defaultHeaders: headers }), { model: 'm', stream: true });
  }
}

async function kvLike(): Promise<CheckpointStore & { dump(): string }> {
  const m = new Map<string, string>();
  const store = kvStore({ get: async (k) => m.get(k), put: async (k, v) => void m.set(k, v), list: async (p) => [...m.keys()].filter((k) => k.startsWith(p)), delete: async (k) => void m.delete(k) });
  return Object.assign(store, { dump: () => [...m.values()].join('\n') });
}

describe('a canary key and header value of shapes no pattern knows reach no artifact', () => {
  it.each<Kind>(['chat', 'chat-sync', 'responses', 'anthropic', 'sdk'])('%s backend', async (kind) => {
    const dir = await mkdtemp(join(tmpdir(), 'looplet-canary-'));
    const artifacts: string[] = [];
    for (const [scenario, script] of Object.entries(replies(kind))) {
      const s = await serve(script);
      const events: LoopEvent[] = [];
      const spans: OtlpSpan[] = [];
      const writer = memoryWriter();
      const kv = await kvLike();
      const idb = indexedDBStore({ dbName: `canary-${kind}-${scenario}` });
      const stores: CheckpointStore[] = [memoryStore(), kv, fileStore(dir), idb];
      const hooks = [
        ...stores.map((store) => new CheckpointHook({ store, runId: `${kind}-${scenario}` })),
        new ProvenanceSink({ writer }),
        new TracingHook({ exporter: { export: async (batch) => void spans.push(...batch) } }),
        { onEvent: (e: LoopEvent) => void events.push(e) },
      ];
      const tools = new ToolRegistry().register({ name: 'noop', description: 'No-op.', parameters: { type: 'object' }, execute: () => 1 });
      let thrown: unknown;
      const out = await collect(composableLoop({ llm: backend(kind, kind === 'anthropic' ? s.url : `${s.url}/v1`), tools, task: 't', hooks })).catch((e: unknown) => { thrown = e; return undefined; });
      expect({ kind, scenario, thrown }).toEqual({ kind, scenario, thrown: undefined });
      expect({ kind, scenario, status: out!.outcome.status }).toEqual({ kind, scenario, status: scenario === 'text' ? 'done' : 'error' });
      // the server did get the key: it is the echo that must not come back
      expect(JSON.stringify(s.seen[0]!.headers)).toContain(KEY);
      for (const store of stores) artifacts.push(JSON.stringify(await store.get(`${kind}-${scenario}`)));
      artifacts.push(kv.dump(), JSON.stringify(out), toJSONL(events), JSON.stringify(spans), ...writer.files.values());
      artifacts.push(...(await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')))));
      if (out!.outcome.error) artifacts.push(out!.outcome.error.message);
      await idb.close();
    }
    // the errors themselves, stacks included
    const s = await serve(replies(kind).http);
    const err = await backend(kind, kind === 'anthropic' ? s.url : `${s.url}/v1`).generate({ messages: [{ role: 'user', content: 'x' }], tools: [] }, { signal: new AbortController().signal }).catch((e: unknown) => e as Error);
    artifacts.push(String(err), String((err as Error).stack), JSON.stringify(err), JSON.stringify(backend(kind, s.url)));
    const all = artifacts.join('\n');
    expect(all).toContain('***'); // the echo was there, masked
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('Canary');
  });
});
