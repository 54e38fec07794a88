import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directoryWriter } from '../lib/trace/directory.node.ts';
import {
  collect, compactChain, composableLoop, ContextPressureHook, defineEval, deny, discoverEvals, estimateTokens, EvalHook, evalRun, LLMError, memoryWriter,
  MetricsHook, MockLLMBackend, otlpHttpExporter, ProvenanceSink, pruneToolResults, summarize, ThresholdCompactHook, ToolRegistry, TracingHook, truncate,
  type LLMBackend, type LLMRequest, type LoopEvent, type Message,
} from '../lib/index.ts';
import { replay } from '../lib/evals/index.ts';

/** A model that reads records one by one, then finishes; it decides from the conversation. */
function reader(n: number): LLMBackend & { requests: LLMRequest[] } {
  const requests: LLMRequest[] = [];
  let done = 0; // counted here: compaction removes old calls from the conversation
  return {
    requests,
    async generate(req) {
      requests.push({ ...req, messages: req.messages.slice() });
      if (done < n) done++;
      else return { toolCalls: [{ id: 'fin', name: 'done', arguments: { answer: `read ${n}` } }] };
      return { toolCalls: [{ id: `c${done}`, name: 'read', arguments: { i: done } }], usage: { inputTokens: estimateTokens(req.messages), outputTokens: 10, totalTokens: estimateTokens(req.messages) + 10 } };
    },
  };
}
const readTool = () => new ToolRegistry().register({ name: 'read', description: 'Read a record.', parameters: { type: 'object', properties: { i: { type: 'integer' } } }, execute: ({ i }) => `record ${String(i)}: ${'lorem ipsum '.repeat(40)}` });

/** Every tool message answers a call of an earlier assistant message, and every call is answered. */
function pairsIntact(messages: readonly Message[]): boolean {
  const open = new Set<string>();
  for (const m of messages) {
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) open.add(c.id);
    if (m.role === 'tool') { if (!open.has(m.toolCallId!)) return false; open.delete(m.toolCallId!); }
  }
  return open.size === 0;
}

describe('managing context', () => {
  it('keeps a 500-step run under its budget, with no split tool pairs', async () => {
    const llm = reader(500);
    const budget = 4000;
    const events: LoopEvent[] = [];
    const hook = new ThresholdCompactHook({ budgetTokens: budget, threshold: 0.8, strategy: compactChain(pruneToolResults({ keepLast: 6 }), truncate({ keepFirst: 1, keepLast: 24 })) });
    const { outcome } = await collect(composableLoop({ llm, tools: readTool(), task: 'Read 500 records.', config: { maxSteps: 501 }, hooks: [hook, { onEvent: (e) => void events.push(e) }] }));
    expect(outcome).toMatchObject({ status: 'done', answer: 'read 500', steps: 501 });
    for (const r of llm.requests) {
      expect(estimateTokens(r.messages)).toBeLessThanOrEqual(budget);
      expect(pairsIntact(r.messages)).toBe(true);
      expect(r.messages[0]!.content).toBe('Read 500 records.'); // the task survives
    }
    const compactions = events.filter((e) => e.type === 'compact');
    expect(compactions.length).toBeGreaterThan(5);
    expect(compactions[0]).toMatchObject({ reason: 'threshold', strategy: 'compactChain(pruneToolResults, truncate)' });
    const c = compactions[0]!;
    expect(c.type === 'compact' && c.tokensAfter < c.tokensBefore).toBe(true);
  });

  it('summarize asks a model with the task and the transcript, and puts its summary in place of the middle', async () => {
    const summarizer = new MockLLMBackend(['The agent read records 0-9; record 3 mentioned "lorem". Open: none.']);
    const strategy = summarize({ llm: summarizer, maxTokens: 200, keepFirst: 1, keepLast: 4 });
    const messages: Message[] = [{ role: 'user', content: 'Read the records.' }];
    for (let i = 0; i < 10; i++) {
      messages.push({ role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'read', arguments: `{"i":${i}}` }] }, { role: 'tool', content: `record ${i}`, toolCallId: `c${i}`, name: 'read' });
    }
    const out = await strategy(messages, { budgetTokens: 10, estimate: (m) => estimateTokens(m) });
    const asked = summarizer.requests[0]!;
    expect(asked.system).toMatch(/at most 200 tokens.*the task, every decision/s);
    expect(asked.messages[0]!.content).toMatch(/^Task: Read the records\.\n\nTranscript to summarise:\n\[assistant\]  → read\(\{"i":0\}\)\n\[tool read\] record 0/);
    expect(out[0]).toEqual(messages[0]);
    expect(out[1]).toEqual({ role: 'user', content: 'Summary of 16 earlier messages:\nThe agent read records 0-9; record 3 mentioned "lorem". Open: none.' });
    expect(out.slice(2)).toEqual(messages.slice(-4));
    expect(pairsIntact(out)).toBe(true);
  });

  it('a context-length error triggers one emergency compaction and a retry instead of ending the run', async () => {
    let calls = 0;
    let inner = reader(30);
    const small = (): LLMBackend => ({
      async generate(req, o) {
        calls++;
        if (estimateTokens(req.messages) > 2500) throw new LLMError('context_length', "This model's maximum context length is 2500 tokens", { status: 400 });
        return inner.generate(req, o);
      },
    });
    const llm = small();
    const events: LoopEvent[] = [];
    const hook = new ThresholdCompactHook({ budgetTokens: 1_000_000, strategy: compactChain(pruneToolResults({ keepLast: 2 }), truncate({ keepFirst: 1, keepLast: 6 })) });
    const { outcome } = await collect(composableLoop({ llm, tools: readTool(), task: 'Read 30.', config: { maxSteps: 40 }, hooks: [hook, { onEvent: (e) => void events.push(e) }] }));
    expect(outcome).toMatchObject({ status: 'done', answer: 'read 30' });
    const emergencies = events.filter((e) => e.type === 'compact' && e.reason === 'emergency');
    expect(emergencies.length).toBeGreaterThan(0);
    expect(calls).toBe(inner.requests.length + emergencies.length); // one failed call per emergency, then the retry
    // without a compact hook the same error ends the run, honestly
    inner = reader(30);
    const bare = await collect(composableLoop({ llm: small(), tools: readTool(), task: 'Read 30.', config: { maxSteps: 40 } }));
    expect(bare.outcome).toMatchObject({ status: 'error', error: { kind: 'context_length' } });
  });

  it('ContextPressureHook tells the model how much room is left once past its mark', async () => {
    const llm = reader(6);
    await collect(composableLoop({ llm, tools: readTool(), task: 't', hooks: [new ContextPressureHook({ budgetTokens: 1000, warnAt: 0.5 })] }));
    const notes = llm.requests.map((r) => r.messages.at(-1)!).filter((m) => m.role === 'user' && m.content.startsWith('Context:'));
    expect(notes.length).toBeGreaterThan(0);
    expect(notes[0]!.content).toMatch(/^Context: about \d+% of your context budget is used/);
    expect(pairsIntact(llm.requests.at(-1)!.messages)).toBe(true);
  });
});

describe('metrics and evals', () => {
  it('MetricsHook counts calls, errors and denials per tool, with latency percentiles, and emits a metrics event', async () => {
    const tools = new ToolRegistry()
      .register({ name: 'ok', description: '', parameters: { type: 'object' }, execute: () => 1 })
      .register({ name: 'bad', description: '', parameters: { type: 'object' }, execute: () => { throw new Error('x'); } });
    const llm = new MockLLMBackend([
      { toolCalls: [{ name: 'ok', arguments: {} }, { name: 'ok', arguments: {} }, { name: 'bad', arguments: {} }], usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } },
      { toolCalls: [{ name: 'ok', arguments: { deny: true } }] },
      { toolCalls: [{ name: 'done', arguments: { answer: 1 } }] },
    ]);
    const metrics = new MetricsHook();
    const events: LoopEvent[] = [];
    await collect(composableLoop({ llm, tools, task: 't', hooks: [metrics, { preDispatch: (_c, c) => (c.args.deny ? deny('no') : undefined) }, { onEvent: (e) => void events.push(e) }] }));
    const s = metrics.summary();
    expect(s).toMatchObject({ steps: 5, llmCalls: 3, status: 'done', usage: { totalTokens: 15 } });
    expect(s.tools.ok).toMatchObject({ calls: 3, errors: 0, denied: 1 });
    expect(s.tools.bad).toMatchObject({ calls: 1, errors: 1 });
    expect(s.tools.ok!.p95Ms).toBeGreaterThanOrEqual(s.tools.ok!.p50Ms);
    expect(events.find((e) => e.type === 'metrics')).toMatchObject({ steps: 5, tools: { ok: { calls: 3 } } });
  });

  it('defineEval / evalRun / discoverEvals / EvalHook score traces; a throwing eval scores 0', async () => {
    const events: LoopEvent[] = [];
    const answered = defineEval('answered', (t) => t.answer === 'read 3');
    const fewSteps = defineEval('few steps', (t) => ({ score: t.steps.length <= 3 ? 1 : 0.5, reason: `${t.steps.length} steps` }), { threshold: 0.5 });
    const broken = defineEval('broken', () => { throw new Error('oops'); });
    const hook = new EvalHook([answered, fewSteps, broken]);
    await collect(composableLoop({ llm: reader(3), tools: readTool(), task: 't', hooks: [hook, { onEvent: (e) => void events.push(e) }] }));
    expect(hook.results).toEqual([
      { name: 'answered', score: 1, passed: true },
      { name: 'few steps', score: 0.5, passed: true, reason: '4 steps' },
      { name: 'broken', score: 0, passed: false, reason: 'the eval threw: oops' },
    ]);
    expect(events.find((e) => e.type === 'eval')).toMatchObject({ results: hook.results });
    const [fromTrace] = await evalRun([answered, fewSteps], [events]);
    expect(fromTrace!.map((r) => r.passed)).toEqual([true, true]);

    const mod = { evalAnswer: (t: { answer?: unknown }) => t.answer === 'read 3', evalSteps: fewSteps, helper: () => 0, evaluate: 42 };
    expect(discoverEvals(mod).map((e) => e.name)).toEqual(['evalAnswer', 'few steps']);
  });
});

describe('provenance and replay', () => {
  async function recorded(hooks: object[] = []) {
    const events: LoopEvent[] = [];
    const writer = memoryWriter();
    const tools = new ToolRegistry()
      .register({ name: 'lookup', description: 'Look up.', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }, execute: ({ q }) => ({ q, hits: String(q).length, key: 'sk-live-abcdef1234567890' }) })
      .register({ name: 'rm', description: 'Remove.', parameters: { type: 'object' }, execute: () => 'removed' });
    const llm = new MockLLMBackend([
      { text: 'Looking.', toolCalls: [{ id: 'a', name: 'lookup', arguments: '{"q":"cats"}' }], usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 } },
      { toolCalls: [{ id: 'b', name: 'rm', arguments: {} }, { id: 'c', name: 'lookup', arguments: { q: 'dogs' } }] },
      { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'cats and dogs' } }] },
    ]);
    const guard = { preDispatch: (_c: unknown, c: { name: string }) => (c.name === 'rm' ? deny('never remove') : undefined) };
    await collect(composableLoop({ llm, tools, task: 'Find cats and dogs.', hooks: [guard, new ProvenanceSink({ writer }), { onEvent: (e: LoopEvent) => void events.push(e) }, ...hooks] as never }));
    return { events, files: writer.files, guard, tools };
  }

  it('writes a diff-friendly record that is byte-identical across two runs of the same inputs, with keys masked', async () => {
    const one = await recorded();
    const two = await recorded();
    expect([...one.files.keys()].sort()).toEqual(['run.json', 'steps/001-prompt.md', 'steps/001-response.json', 'steps/002-prompt.md', 'steps/002-response.json', 'steps/003-prompt.md', 'steps/003-response.json', 'trace.jsonl']);
    for (const [path, text] of one.files) expect(two.files.get(path)).toBe(text);
    expect(one.files.get('steps/002-prompt.md')).toContain('# tool result: lookup (a)\n\n{"q":"cats","hits":4,"key":"sk-***"}');
    for (const text of one.files.values()) expect(text).not.toContain('abcdef1234567890');
    expect(one.files.get('steps/001-response.json')).toContain('"arguments": "{\\"q\\":\\"cats\\"}"');

    const dir = await mkdtemp(join(tmpdir(), 'looplet-prov-'));
    const events: LoopEvent[] = [];
    await collect(composableLoop({ llm: new MockLLMBackend([{ toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 1 } }] }]), tools: new ToolRegistry(), task: 't', hooks: [new ProvenanceSink({ writer: directoryWriter(dir) }), { onEvent: (e) => void events.push(e) }] }));
    expect((await readdir(join(dir, 'steps'))).sort()).toEqual(['001-prompt.md', '001-response.json']);
    expect(await readFile(join(dir, 'trace.jsonl'), 'utf8')).toContain('"type":"run.end"');
  });

  it('replay reproduces every step from the recorded replies; a changed recording reports the first divergence', async () => {
    const { events, guard } = await recorded();
    const same = await replay(events, { hooks: [guard as never] });
    expect(same.divergence).toBeUndefined();
    expect(same.steps.map((s) => `${s.index}:${s.toolCall.name}:${s.status}`)).toEqual(['1:lookup:ok', '2:rm:denied', '3:lookup:ok', '4:done:ok']);
    expect(same.outcome).toMatchObject({ status: 'done', answer: 'cats and dogs' });
    // without the guard, rm is not denied any more: behaviour diverges at step 2
    const loose = await replay(events);
    expect(loose.divergence).toMatchObject({ step: 2, reason: 'status denied became error', expected: { status: 'denied' }, actual: { status: 'error' } });
    // the JSONL form replays too
    const { toJSONL } = await import('../lib/index.ts');
    expect((await replay(toJSONL(events), { hooks: [guard as never] })).divergence).toBeUndefined();
  });
});

describe('tracing', () => {
  it('posts OTLP/HTTP JSON spans with GenAI attributes: invoke_agent, chat and execute_tool', async () => {
    const bodies: { headers: Record<string, unknown>; body: { resourceSpans: { resource: unknown; scopeSpans: { spans: { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: { key: string; value: Record<string, unknown> }[]; status: { code: number } }[] }[] }[] } }[] = [];
    const server = createServer(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      bodies.push({ headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(200).end('{}');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    const exporter = otlpHttpExporter({ url, headers: { authorization: 'Bearer otlp-secret-token-123' }, batchSize: 3 });
    const llm = new MockLLMBackend([
      { toolCalls: [{ id: 'a', name: 'read', arguments: { i: 1 } }], usage: { inputTokens: 20, outputTokens: 5, totalTokens: 25 }, finishReason: 'tool_calls', model: 'gpt-4o' },
      { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 1 } }], usage: { inputTokens: 30, outputTokens: 3, totalTokens: 33 }, finishReason: 'tool_calls', model: 'gpt-4o' },
    ]);
    await collect(composableLoop({ llm, tools: readTool(), task: 't', hooks: [new TracingHook({ exporter, provider: 'openai' })] }));
    server.close();
    expect(bodies.length).toBe(2); // 5 spans in batches of 3
    expect(exporter.sent).toBe(5);
    expect(bodies[0]!.headers.authorization).toBe('Bearer otlp-secret-token-123');
    expect(JSON.stringify(bodies.map((b) => b.body))).not.toContain('otlp-secret');
    const spans = bodies.flatMap((b) => b.body.resourceSpans[0]!.scopeSpans[0]!.spans);
    expect(spans.map((s) => s.name).sort()).toEqual(['chat gpt-4o', 'chat gpt-4o', 'execute_tool done', 'execute_tool read', 'invoke_agent looplet']);
    const root = spans.find((s) => s.name.startsWith('invoke_agent'))!;
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const s of spans.filter((x) => x !== root)) expect(s.parentSpanId).toBe(root.spanId);
    const a = (s: (typeof spans)[number], k: string) => s.attributes.find((x) => x.key === k)?.value;
    const chat = spans.find((s) => s.name.startsWith('chat'))!;
    expect(a(chat, 'gen_ai.operation.name')).toEqual({ stringValue: 'chat' });
    expect(a(chat, 'gen_ai.usage.input_tokens')).toEqual({ intValue: 20 });
    expect(a(chat, 'gen_ai.response.finish_reasons')).toEqual({ arrayValue: { values: [{ stringValue: 'tool_calls' }] } });
    expect(a(chat, 'gen_ai.provider.name')).toEqual({ stringValue: 'openai' });
    const tool = spans.find((s) => s.name === 'execute_tool read')!;
    expect(a(tool, 'gen_ai.tool.name')).toEqual({ stringValue: 'read' });
    expect(a(tool, 'gen_ai.tool.call.id')).toEqual({ stringValue: 'a' });
    expect(a(root, 'gen_ai.usage.input_tokens')).toEqual({ intValue: 50 });

    // The official OpenTelemetry serializer, given the same spans, produces the same payload.
    const { JsonTraceSerializer } = await import('@opentelemetry/otlp-transformer');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const resource = resourceFromAttributes({ 'service.name': 'looplet' });
    const plain = (v: Record<string, unknown>): unknown => ('arrayValue' in v ? (v.arrayValue as { values: Record<string, unknown>[] }).values.map(plain) : Object.values(v)[0]);
    const hr = (ns: string): [number, number] => [Number(BigInt(ns) / 1_000_000_000n), Number(BigInt(ns) % 1_000_000_000n)];
    for (const s of spans) {
      const readable = {
        name: s.name, kind: (s as unknown as { kind: number }).kind - 1,
        spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: 1 }),
        ...(s.parentSpanId ? { parentSpanContext: { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: 1 } } : {}),
        startTime: hr((s as unknown as { startTimeUnixNano: string }).startTimeUnixNano), endTime: hr((s as unknown as { endTimeUnixNano: string }).endTimeUnixNano),
        attributes: Object.fromEntries(s.attributes.map((x) => [x.key, plain(x.value)])), status: s.status,
        events: [], links: [], resource, instrumentationScope: { name: 'looplet', version: '0.1.0' },
        droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0, duration: [0, 0], ended: true,
      };
      const official = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest([readable as never]))) as typeof bodies[number]['body'];
      const theirs = official.resourceSpans[0]!.scopeSpans[0]!.spans[0]! as Record<string, unknown>;
      for (const k of ['droppedAttributesCount', 'events', 'droppedEventsCount', 'links', 'droppedLinksCount', 'flags']) delete theirs[k];
      expect(s).toEqual(theirs);
      expect(official.resourceSpans[0]!.resource).toMatchObject(bodies[0]!.body.resourceSpans[0]!.resource as object);
    }
    expect(bodies[0]!.body.resourceSpans[0]!.resource).toEqual({ attributes: [{ key: 'service.name', value: { stringValue: 'looplet' } }] });
  });
});

describe('evals from the command line and in a test runner', () => {
  it('looplet eval prints a table and exits 1 when an eval fails; assertEvals throws listing the failures', async () => {
    const { execFile } = await import('node:child_process');
    const { writeFile } = await import('node:fs/promises');
    const { assertEvals, toJSONL } = await import('../lib/index.ts');
    const events: LoopEvent[] = [];
    await collect(composableLoop({ llm: reader(2), tools: readTool(), task: 't', hooks: [{ onEvent: (e) => void events.push(e) }] }));
    const dir = await mkdtemp(join(tmpdir(), 'looplet-cli-'));
    await writeFile(join(dir, 'run.jsonl'), toJSONL(events));
    await writeFile(join(dir, 'evals.mjs'), 'export const evalAnswered = (t) => t.answer === "read 2";\nexport const evalUnder2Steps = (t) => ({ score: t.steps.length < 2 ? 1 : 0, reason: `${t.steps.length} steps` });\n');
    const run = () => new Promise<{ code: number; out: string }>((ok) => {
      execFile(join(process.cwd(), 'node_modules/.bin/tsx'), ['lib/cli.node.ts', 'eval', join(dir, 'evals.mjs'), join(dir, 'run.jsonl')], (err, stdout) => ok({ code: (err as { code?: number } | null)?.code ?? 0, out: stdout }));
    });
    const { code, out } = await run();
    expect(code).toBe(1);
    expect(out).toContain('✓ evalAnswered');
    expect(out).toMatch(/✗ evalUnder2Steps\s+0\.00 {2}3 steps/);
    expect(out.trim().split('\n').at(-1)).toBe('1 passed, 1 failed');
    await expect(assertEvals([defineEval('answered', (t) => t.answer === 'read 2')], events)).resolves.toHaveLength(1);
    await expect(assertEvals([defineEval('short', (t) => t.steps.length < 2)], toJSONL(events))).rejects.toThrow(/1 of 1 evals failed:\n {2}✗ short: 0/);
  });
});
