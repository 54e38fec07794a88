// The panel's views without a browser: the waterfall's geometry, search, deep links, fork, curl.
import { describe, expect, it } from 'vitest';
import { addedMessages, curlOf, forkBackend, forkPoint, matches, nextError, readLink, searchWords, ticks, TraceModel, waterfall, writeLink, type RunView } from '../devtools/index.ts';
import { visibleSpans } from '../devtools/waterfall-layout.ts';
import { collect, composableLoop, MockLLMBackend, ToolRegistry, type LLMBackend, type LoopEvent } from '../lib/index.ts';

const base = { v: 1 as const };
function timedEvents(): LoopEvent[] {
  const step = (i: number, name: string, ts: number, toolMs: number, status: 'ok' | 'error' | 'paused' = 'ok') =>
    ({ ...base, type: 'step', runId: 'r', step: i, ts, record: { index: i, status, toolCall: { id: `c${i}`, name, args: { i } }, toolResult: status === 'error' ? { error: { kind: 'execution', message: 'broke' }, durationMs: toolMs } : { data: `${name} says ${i}`, durationMs: toolMs }, timing: { llmMs: 0, toolMs } } }) as LoopEvent;
  return [
    { ...base, type: 'run.start', runId: 'r', step: 0, ts: 1000, task: 'Go', config: { maxSteps: 9, toolCallMode: 'native', parallelToolCalls: true }, tools: [] },
    { ...base, type: 'prompt', runId: 'r', step: 1, ts: 1000, offset: 0, system: 'sys', messages: [{ role: 'user', content: 'Go' }] },
    { ...base, type: 'llm.response', runId: 'r', step: 1, ts: 1300, durationMs: 300, response: { model: 'm-1', text: 'thinking about kiwis', toolCalls: [{ id: 'c1', name: 'a', arguments: {} }, { id: 'c2', name: 'b', arguments: {} }] } },
    step(1, 'a', 1500, 200),
    step(2, 'b', 1700, 400),
    { ...base, type: 'prompt', runId: 'r', step: 3, ts: 1700, offset: 1, messages: [{ role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'a', arguments: '{}' }, { id: 'c2', name: 'b', arguments: '{}' }] }, { role: 'tool', toolCallId: 'c1', name: 'a', content: 'a mango' }, { role: 'tool', toolCallId: 'c2', name: 'b', content: "it's b" }] },
    { ...base, type: 'llm.response', runId: 'r', step: 3, ts: 1900, durationMs: 200, response: { toolCalls: [{ id: 'c3', name: 'c', arguments: {} }] } },
    step(3, 'c', 2000, 100, 'error'),
    step(4, 'd', 2100, 0, 'paused'),
  ];
}

function timed(): RunView {
  const m = new TraceModel();
  m.add(timedEvents());
  return m.runs.get('r')!;
}

describe('waterfall', () => {
  it('places model calls in lane 0 and overlapping tool calls in lanes of their own', () => {
    const w = waterfall(timed());
    expect(w.t0).toBe(1000);
    expect(w.t1).toBe(2100);
    const llm = w.spans.filter((s) => s.kind === 'llm');
    expect(llm.map((s) => [s.step, s.start, s.end, s.lane])).toEqual([[1, 1000, 1300, 0], [3, 1700, 1900, 0]]);
    const tools = Object.fromEntries(w.spans.filter((s) => s.kind === 'tool').map((s) => [s.name, [s.start, s.end, s.lane, s.status]]));
    expect(tools).toEqual({ a: [1300, 1500, 1, 'ok'], b: [1300, 1700, 2, 'ok'], c: [1900, 2000, 1, 'error'], d: [2100, 2100, 1, 'paused'] });
    expect(w.lanes).toBe(3);
  });

  it('lays out a run that arrives event by event exactly as the whole run, and again after a paused step is decided', () => {
    const whole = waterfall(timed());
    const m = new TraceModel();
    for (const e of timedEvents()) { m.add([e]); waterfall(m.runs.get('r')!); }
    expect(waterfall(m.runs.get('r')!)).toEqual(whole);
    // resume: step 4 is replaced by its decided record
    m.add([{ ...base, type: 'step', runId: 'r', step: 4, ts: 2600, record: { index: 4, status: 'ok', toolCall: { id: 'c4', name: 'd', args: {} }, toolResult: { data: 1, durationMs: 300 }, timing: { llmMs: 0, toolMs: 300 } } } as LoopEvent]);
    const d = waterfall(m.runs.get('r')!).spans.filter((s) => s.name === 'd');
    expect(d.map((s) => [s.start, s.end, s.status])).toEqual([[2300, 2600, 'ok']]);
  });

  it('sums spans into columns past the limit, each column knowing its steps, failures and time', () => {
    const w = waterfall(timed());
    const shown = visibleSpans(w, w.t0, w.t1, 3, 2);
    expect('buckets' in shown).toBe(true);
    if (!('buckets' in shown)) return;
    const total = shown.buckets.reduce((n, b) => n + b.steps, 0);
    expect(total).toBe(4);
    expect(shown.buckets.reduce((n, b) => n + b.errors, 0)).toBe(1);
    expect(shown.buckets.reduce((n, b) => n + b.paused, 0)).toBe(1);
    expect(shown.buckets[0]!.first).toBe(1);
    // inside a range, only what overlaps it
    const inside = visibleSpans(w, 1950, 2050);
    expect('spans' in inside && inside.spans.map((s) => s.step)).toEqual([3]);
  });

  it('ticks at round offsets from the start', () => {
    expect(ticks(1000, 1000, 2100)).toEqual([1000, 1200, 1400, 1600, 1800, 2000]);
    expect(ticks(0, 2500, 7600, 6)).toEqual([3000, 4000, 5000, 6000, 7000]);
    expect(ticks(0, 2500, 7600, 3)).toEqual([4000, 6000]);
  });
});

describe('search', () => {
  it('finds words in the call, the result, the messages the prompt added and the reply', () => {
    const run = timed();
    const hits = (q: string) => run.steps.filter((s) => matches(s, q, run)).map((s) => s.index);
    expect(hits('mango')).toEqual([3, 4]); // added by the prompt that steps 3 and 4 came from
    expect(hits('kiwis')).toEqual([1, 2]); // the reply that asked for steps 1 and 2
    expect(hits('says')).toEqual([1, 2, 4]);
    expect(hits('b says')).toEqual([1, 2, 4]); // every word: "b" is in step 1's reply ("about"), step 4's prompt ("it's b")
    expect(hits('a says')).toEqual([1, 2, 4]);
    expect(hits('"a says 1"')).toEqual([1]); // a phrase
    expect(hits('-"a says"')).toEqual([2, 3, 4]);
    expect(hits('"s b"')).toEqual([3, 4]); // a phrase across words ("it's b")
    expect(hits("it's")).toEqual([3, 4]);
    expect(hits('mango -status:error')).toEqual([4]);
    expect(hits('tool:c status:error')).toEqual([3]);
    expect(matches(run.steps[0]!, 'kiwis')).toBe(false); // without the run: call and result only
    expect(searchWords('tool:a  kiwis -x status:ok mango "two words"')).toEqual(['kiwis', 'mango', 'two words']);
  });

  it('walks errors forward and back, and says when there is none', () => {
    const run = timed();
    expect(nextError(run.steps, undefined, 1)?.index).toBe(3);
    expect(nextError(run.steps, 3, 1)).toBeUndefined();
    expect(nextError(run.steps, 4, -1)?.index).toBe(3);
    expect(nextError(run.steps.slice(0, 2), undefined, 1)).toBeUndefined();
  });

  it('knows what each prompt added', () => {
    const run = timed();
    expect(addedMessages(run, 0).map((m) => m.role)).toEqual(['user']);
    expect(addedMessages(run, 1).map((m) => m.role)).toEqual(['assistant', 'tool', 'tool']);
  });
});

describe('deep links', () => {
  it('round-trips the view through the hash and keeps the page own parameters', () => {
    const hash = writeLink('#page=2', { run: 'run 1/ä', step: 12, tab: 'diff', q: 'tool:x err' });
    expect(readLink(hash)).toEqual({ run: 'run 1/ä', step: 12, tab: 'diff', q: 'tool:x err' });
    expect(new URLSearchParams(hash.slice(1)).get('page')).toBe('2');
    expect(writeLink(hash, {})).toBe('#page=2');
  });
  it('ignores what is not a view', () => {
    expect(readLink('#step=-1&tab=<script>&run=')).toEqual({});
    expect(readLink('#step=1.5')).toEqual({});
  });
});

describe('fork', () => {
  const registry = () => new ToolRegistry().register({ name: 'add', description: 'Add one.', parameters: { type: 'object', properties: { n: { type: 'integer' } } }, execute: ({ n }) => Number(n) + 1 });

  it('replays the recorded replies up to a step, then asks the live model', async () => {
    const events: LoopEvent[] = [];
    const script = [1, 2, 3].map((n) => ({ toolCalls: [{ id: `c${n}`, name: 'add', arguments: { n } }] }));
    await collect(composableLoop({ llm: new MockLLMBackend([...script, { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'recorded' } }] }]), tools: registry(), task: 'Count', hooks: [{ onEvent: (e) => void events.push(e) }] }));
    const m = new TraceModel();
    m.add(events);
    const run = [...m.runs.values()][0]!;
    const { task, replies } = forkPoint(run, 2);
    expect(task).toBe('Count');
    expect(replies).toHaveLength(2);
    const live = new MockLLMBackend([{ toolCalls: [{ id: 'x', name: 'add', arguments: { n: 40 } }] }, { toolCalls: [{ id: 'd2', name: 'done', arguments: { answer: 'forked' } }] }]);
    const fork = await collect(composableLoop({ llm: forkBackend(replies, live), tools: registry(), task: String(task) }));
    expect(fork.steps.map((s) => s.toolCall.args)).toEqual([{ n: 1 }, { n: 2 }, { n: 40 }, { answer: 'forked' }]);
    expect(fork.outcome.answer).toBe('forked');
    // the live model saw the replayed conversation: the results of steps 1 and 2
    expect(live.requests[0]!.messages.filter((x) => x.role === 'tool').map((x) => x.content)).toEqual(['2', '3']);
  });

  it('says which reply is missing when a trace has none recorded', () => {
    const run = timed();
    run.prompts[0]!.response = undefined;
    expect(() => forkPoint(run, 1)).toThrow(/no model reply for prompt 1/);
    expect(() => forkPoint(run, 99)).toThrow(RangeError);
  });

  it('aborts a replayed reply like a live one', async () => {
    const ac = new AbortController();
    ac.abort();
    const never: LLMBackend = { generate: () => new Promise(() => {}) };
    await expect(forkBackend([{ text: 'x' }], never).generate({ messages: [], tools: [] }, { signal: ac.signal })).rejects.toThrow();
  });
});

describe('curl', () => {
  it('is the step prompt as an OpenAI chat request, with the key as a shell variable', () => {
    const run = timed();
    const curl = curlOf(run, run.steps[2]!);
    expect(curl).toContain('"authorization: Bearer $OPENAI_API_KEY"');
    const body = JSON.parse(/-d '([\s\S]*)'$/.exec(curl)![1]!.replace(/'\\''/g, "'")) as { model: string; messages: { role: string; content: string | null; tool_calls?: unknown[] }[] };
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool']);
    expect(body.messages[2]!.content).toBeNull();
    expect(body.messages[2]!.tool_calls).toHaveLength(2);
    expect(body.messages[4]!.content).toBe("it's b"); // the quote survives the shell quoting
  });
});
