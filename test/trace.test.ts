import { describe, expect, it } from 'vitest';
import { deny, parseJSONL, readJSONL, toJSONL, TraceParseError, type LoopEvent, type Message } from '../lib/index.ts';
import { call, done, reply, runScript } from './helpers.ts';

/** Rebuilds the full prompt of each `prompt` event: previous[0:offset] + messages. */
function prompts(events: LoopEvent[]): Message[][] {
  const out: Message[][] = [];
  let prev: readonly Message[] = [];
  for (const e of events) {
    if (e.type !== 'prompt') continue;
    const full = [...prev.slice(0, e.offset), ...e.messages];
    out.push(full);
    prev = full;
  }
  return out;
}

describe('trace events', () => {
  it('emits the schema in order, every event with v, type, runId, step and ts, all JSON-serializable', async () => {
    const { events, outcome } = await runScript([reply(call('greet', { name: 'A' }), call('add', { a: 1, b: 2 })), done()], {
      hooks: [{ preDispatch: (_c, c) => (c.name === 'add' ? deny('no maths') : undefined) }],
    });
    expect(events.map((e) => e.type)).toEqual([
      'run.start',
      'prompt', 'llm.response',
      'tool.call', 'tool.call', 'decision',
      'tool.result', 'step', 'tool.result', 'step',
      'prompt', 'llm.response', 'tool.call', 'tool.result', 'step',
      'run.end',
    ]);
    for (const e of events) {
      expect(e).toMatchObject({ v: 1, runId: outcome.runId, step: expect.any(Number), ts: expect.any(Number) });
    }
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    const start = events[0]!;
    expect(start.type === 'run.start' && start.tools.map((t) => t.name)).toEqual(['greet', 'add', 'done']);
    const decision = events.find((e) => e.type === 'decision');
    expect(decision).toMatchObject({ slot: 'preDispatch', hook: 'hook[0]', decision: { kind: 'deny', reason: 'no maths' }, step: 2 });
    const end = events.at(-1)!;
    expect(end.type === 'run.end' && end.outcome.status).toBe('done');
  });

  it('llm.response carries the whole reply with raw arguments, so a trace can be replayed without the model', async () => {
    const { events } = await runScript([{ text: 'thinking', ...reply(call('add', '{"a":1,"b":2}', 'c1')), usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } }, done()]);
    const r = events.find((e) => e.type === 'llm.response');
    expect(r).toMatchObject({
      response: { text: 'thinking', toolCalls: [{ id: 'c1', name: 'add', arguments: '{"a":1,"b":2}' }], usage: { totalTokens: 7 } },
      durationMs: expect.any(Number),
    });
  });

  it('prompt events carry only new messages; concatenated they are exactly what the model saw', async () => {
    const { events, llm } = await runScript([reply(call('greet', { name: 'A' })), reply(call('greet', { name: 'B' })), done()], {
      hooks: [{ prePrompt: (ctx) => (ctx.step === 2 ? 'a note' : undefined) }],
    });
    const full = prompts(events);
    expect(full).toHaveLength(3);
    full.forEach((p, i) => expect(p).toEqual(llm.requests[i]!.messages));
    const sizes = events.flatMap((e) => (e.type === 'prompt' ? [e.messages.length] : []));
    expect(sizes).toEqual([1, 3, 2]);
    const firsts = events.filter((e) => e.type === 'prompt');
    expect(firsts[0]).toHaveProperty('system');
    expect(firsts[1]).not.toHaveProperty('system');
  });

  it('after a hook rewrites the conversation, the next prompt event carries it whole', async () => {
    const { events, llm } = await runScript([reply(call('greet', { name: 'A' })), reply(call('greet', { name: 'B' })), done()], {
      hooks: [{ prePrompt: (ctx, msgs) => (ctx.step === 2 ? msgs.slice(0, 1) : undefined) }],
    });
    const p = events.filter((e) => e.type === 'prompt');
    expect(p.map((e) => e.type === 'prompt' && e.offset)).toEqual([0, 0, 1]);
    prompts(events).forEach((m, i) => expect(m).toEqual(llm.requests[i]!.messages));
  });

  it('a long run does not hold a copy of the growing conversation per step', async () => {
    const n = 300;
    const script = [...Array.from({ length: n }, (_, i) => reply(call('add', { a: i, b: 1 }))), done()];
    const { events, steps } = await runScript(script, { config: { maxSteps: n + 1 } });
    expect(steps).toHaveLength(n + 1);
    const carried = events.reduce((sum, e) => sum + (e.type === 'prompt' ? e.messages.length : 0), 0);
    // linear: the task + (assistant + tool) per step — not n²/2 messages
    expect(carried).toBe(1 + 2 * n);
  });
});

describe('JSONL', () => {
  it('round-trips a trace', async () => {
    const { events } = await runScript([reply(call('greet', { name: 'A' })), done()]);
    const text = toJSONL(events);
    expect(text.split('\n').filter(Boolean)).toHaveLength(events.length);
    expect(parseJSONL(text)).toEqual(events);
  });

  it('never throws on values JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const e = { v: 1, type: 'tool.result', runId: 'r', step: 1, ts: 0, callId: 'c', name: 'x', data: { big: 10n, cyclic }, durationMs: 0 } as unknown as LoopEvent;
    expect(() => toJSONL([e])).not.toThrow();
  });

  it('rejects a malformed line with an error naming the line', () => {
    const good = '{"v":1,"type":"step","runId":"r","step":1,"ts":1}';
    expect(() => parseJSONL(`${good}\n\n{oops\n`)).toThrow(TraceParseError);
    expect(() => parseJSONL(`${good}\n\n{oops\n`)).toThrow(/^trace line 3: not valid JSON/);
    expect(() => parseJSONL(`${good}\n{"v":1,"type":"x"}`)).toThrow(/trace line 2: missing "runId"/);
    expect(() => parseJSONL('[1,2]')).toThrow(/trace line 1: not a JSON object/);
    expect(() => parseJSONL('{"v":99,"type":"step","runId":"r","step":1,"ts":1}')).toThrow(/version 99 is newer/);
  });

  it('readJSONL keeps the valid events and reports every bad line', () => {
    const good = '{"v":1,"type":"step","runId":"r","step":1,"ts":1}';
    const { events, errors } = readJSONL(`${good}\nnope\n${good}\n{"v":1}`);
    expect(events).toHaveLength(2);
    expect(errors.map((e) => e.line)).toEqual([2, 4]);
  });
});
