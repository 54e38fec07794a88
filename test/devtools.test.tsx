import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { ApprovalPanel, PromptDiff, StepDetail, TraceModel, promptAt, matches } from '../devtools/index.ts';
import { diffText } from '../devtools/diff.ts';
import { visible } from '../devtools/text.ts';
import { ApprovalHook, approve, collect, composableLoop, devtoolsBridge, MockLLMBackend, toEventStream, ToolRegistry, type LoopEvent } from '../lib/index.ts';

function tools() {
  return new ToolRegistry()
    .register({ name: 'fetch', description: 'Fetch.', parameters: { type: 'object', properties: { url: { type: 'string' } } }, execute: ({ url }) => ({ html: `<img src=x onerror="alert(1)"> from ${String(url)}` }) })
    .register({ name: 'send', description: 'Send.', parameters: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] }, execute: () => 'sent' });
}
const script = () => new MockLLMBackend([
  { toolCalls: [{ id: 'f1', name: 'fetch', arguments: { url: 'javascript:alert(1)' } }] },
  { toolCalls: [{ id: 's1', name: 'send', arguments: { to: '\u202Eevil' } }] },
  { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'ok' } }] },
]);

async function pausedThenDone() {
  const events: LoopEvent[] = [];
  const llm = script();
  const hooks = [new ApprovalHook({ tools: ['send'] }), { onEvent: (e: LoopEvent) => void events.push(e) }];
  const first = await collect(composableLoop({ llm, tools: tools(), task: 'Go.', hooks }));
  await collect(composableLoop({ llm, tools: tools(), hooks, resume: first.outcome.checkpoint!, decisions: { s1: approve() } }));
  return { events, llm };
}

describe('TraceModel', () => {
  it('folds a paused-then-resumed run into one run whose paused step is replaced by the decided one', async () => {
    const { events, llm } = await pausedThenDone();
    const m = new TraceModel();
    m.add(events);
    expect(m.runs.size).toBe(1);
    const run = [...m.runs.values()][0]!;
    expect(run.status).toBe('done');
    expect(run.steps.map((s) => `${s.index}:${s.record.status}`)).toEqual(['1:ok', '2:ok', '3:ok']);
    expect(run.answer).toBe('ok');
    // the prompt each step's reply came from is exactly what the model received
    expect(promptAt(run, run.steps[0]!.prompt).messages).toEqual(llm.requests[0]!.messages);
    expect(promptAt(run, run.steps[2]!.prompt).messages).toEqual(llm.requests[2]!.messages);
    expect(matches(run.steps[0]!, 'tool:fetch')).toBe(true);
    expect(matches(run.steps[0]!, '-tool:fetch')).toBe(false);
    expect(matches(run.steps[1]!, 'status:ok evil')).toBe(true);
  });

  it('shows a pending approval while paused', async () => {
    const events: LoopEvent[] = [];
    await collect(composableLoop({ llm: script(), tools: tools(), task: 'Go.', hooks: [new ApprovalHook({ tools: ['send'] }), { onEvent: (e) => void events.push(e) }] }));
    const m = new TraceModel();
    m.add(events);
    const run = [...m.runs.values()][0]!;
    expect(run.status).toBe('paused');
    expect(run.pending.map((p) => p.id)).toEqual(['s1']);
  });
});

describe('hostile content renders as text', () => {
  it('step detail and approvals escape HTML and show bidi controls', async () => {
    const { events } = await pausedThenDone();
    const m = new TraceModel();
    m.add(events);
    const run = [...m.runs.values()][0]!;
    const html = renderToString(<StepDetail run={run} step={run.steps[0]!} tab="result" onTab={() => {}} />);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;img src=x onerror=');
    const prompt = renderToString(<StepDetail run={run} step={run.steps[1]!} tab="prompt" onTab={() => {}} />);
    expect(prompt).not.toMatch(/<img|href=/i);
    const approval = renderToString(<ApprovalPanel runId="r" tools={run.tools} onDecide={() => {}} pending={[{ id: 's1', call: { id: 's1', name: 'send', args: { to: '\u202Eevil<script>x</script>' } }, reason: '<b>why</b>' }]} />);
    expect(approval).not.toMatch(/<script|<b>/);
    expect(approval).toContain('⟨U+202E⟩evil');
    expect(visible('a\u200Bb\u0000c')).toBe('a⟨U+200B⟩b⟨U+0000⟩c');
  });

  it('the prompt diff marks added lines', () => {
    const before = { messages: [{ role: 'user' as const, content: 'task' }] };
    const after = { messages: [...before.messages, { role: 'assistant' as const, content: '<img src=x onerror=alert(1)>' }] };
    const html = renderToString(<PromptDiff before={before} after={after} />);
    expect(html).toMatch(/class="lp-add"[^>]*>\+ (<!-- -->)?## assistant/);
    expect(html).toContain('&lt;img');
  });
});

describe('diffText', () => {
  it('trims the shared prefix and shows only what was appended', () => {
    const a = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n') + '\n';
    const b = a + 'new line one\nnew line two\n';
    const r = diffText(a, b);
    expect(r).toMatchObject({ status: 'ok', prefixLines: 1997, suffixLines: 0, added: 2, removed: 0 });
    expect(r.hunks[0]!.collapsedBefore).toBe(1997);
    expect(r.hunks[0]!.lines.filter((l) => l.kind === 'add').map((l) => l.b)).toEqual(['new line one', 'new line two']);
  });

  it('pairs a changed line and diffs its words; folds unchanged stretches', () => {
    const a = 'a\nb\nc\nd\ne\nf\ng\nh\nthe cat sat\ni\nj\n';
    const b = 'a\nb\nc\nd\ne\nf\ng\nh\nthe dog sat\ni\nj\n';
    const r = diffText(a, b, { context: 1 });
    expect(r.added).toBe(1);
    expect(r.removed).toBe(1);
    const change = r.hunks[0]!.lines.find((l) => l.kind === 'change')!;
    expect(change.words).toEqual([{ kind: 'same', text: 'the ' }, { kind: 'del', text: 'cat' }, { kind: 'add', text: 'dog' }, { kind: 'same', text: ' sat' }]);
    expect(r.prefixLines).toBe(7);
    expect(r.hunks[0]!.collapsedBefore).toBe(7);
    expect(r.hunks[0]!.lines.map((l) => l.kind)).toEqual(['same', 'change', 'same']);
  });

  it('gives up on two unrelated large texts within its budget and shows them as replaced', () => {
    const rnd = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const r1 = rnd(1), r2 = rnd(2);
    const text = (r: () => number) => Array.from({ length: 3000 }, () => Math.floor(r() * 1e9).toString(36)).join('\n');
    const r = diffText(text(r1), text(r2), { timeoutMs: 30 });
    expect(['ok', 'replaced']).toContain(r.status);
    expect(r.added + r.removed).toBeGreaterThan(0);
  });

  it('reconstructs the new text from its hunks on random edits', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: rand(12) }, () => `w${rand(5)}`);
      const b = [...a];
      for (let e = rand(4); e > 0; e--) {
        const op = rand(3);
        if (op === 0) b.splice(rand(b.length + 1), 0, `n${rand(5)}`);
        else if (op === 1 && b.length) b.splice(rand(b.length), 1);
        else if (b.length) b[rand(b.length)] = `c${rand(5)}`;
      }
      const r = diffText(a.join('\n'), b.join('\n'), { context: 1000 });
      const rebuilt = [...b.slice(0, r.prefixLines)];
      for (const h of r.hunks) for (const l of h.lines) if (l.kind !== 'del') rebuilt.push(l.b ?? l.a!);
      rebuilt.push(...b.slice(b.length - r.suffixLines));
      if (r.hunks.length === 0) expect(a).toEqual(b);
      else expect(rebuilt).toEqual(b);
    }
  });
});

describe('live connections', () => {
  it('devtoolsBridge posts every event to a BroadcastChannel and hears decisions back', async () => {
    const got: LoopEvent[] = [];
    const panel = new BroadcastChannel('bridge-test');
    panel.onmessage = (m: MessageEvent) => void got.push((m.data as { event: LoopEvent }).event);
    const decided: unknown[] = [];
    const bridge = devtoolsBridge({ channel: 'bridge-test', onDecision: (runId, d) => void decided.push({ runId, d }) });
    await collect(composableLoop({ llm: script(), tools: tools(), task: 'Go.', hooks: [bridge] }));
    panel.postMessage({ kind: 'decision', runId: 'r1', decisions: { s1: { kind: 'approve' } } });
    await new Promise((ok) => setTimeout(ok, 50));
    bridge.close();
    panel.close();
    expect(got[0]!.type).toBe('run.start');
    expect(got.at(-1)!.type).toBe('run.end');
    expect(decided).toEqual([{ runId: 'r1', d: { s1: { kind: 'approve' } } }]);
  });

  it('toEventStream streams a run as text/event-stream', async () => {
    const res = toEventStream((hook) => composableLoop({ llm: script(), tools: tools(), task: 'Go.', hooks: [hook] }));
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean).map((b) => JSON.parse(b.replace(/^data: /, '')) as LoopEvent);
    expect(events[0]!.type).toBe('run.start');
    expect(events.at(-1)).toMatchObject({ type: 'run.end', outcome: { status: 'done', answer: 'ok' } });
    const m = new TraceModel();
    m.add(events);
    expect([...m.runs.values()][0]!.steps).toHaveLength(3);
  });

  it('toEventStream: a run that throws ends with an error event; a client that goes away stops the run', async () => {
    const refused = toEventStream(() => { throw new Error('no such run'); });
    expect(await refused.text()).toBe('event: error\ndata: {"message":"no such run"}\n\n');

    let aborted = false;
    let running!: () => void;
    const started = new Promise<void>((r) => { running = r; });
    const slow = { name: 'slow', description: 'Slow.', parameters: { type: 'object' }, execute: (_: unknown, ctx: { signal: AbortSignal }) => new Promise((r) => { running(); ctx.signal.addEventListener('abort', () => { aborted = true; r('x'); }); }) };
    const llm = new MockLLMBackend([{ toolCalls: [{ id: 'a', name: 'slow', arguments: {} }] }]);
    const reader = toEventStream((hook, signal) => composableLoop({ llm, tools: [slow], task: 'Go.', signal, hooks: [hook] })).body!.getReader();
    await reader.read();
    await started;
    await reader.cancel(); // the cancel reaches the run through the SSE encoder, a few ticks later
    await vi.waitFor(() => expect(aborted).toBe(true), { timeout: 2000 });
  });
});
