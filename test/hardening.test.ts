// Defects an adversarial review found (issue 12), each as the behaviour a user relies on.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AnthropicBackend, ApprovalHook, compactChain, estimateTokens, LLMError, LoopletError, summarize, ThresholdCompactHook, truncate, approve, CheckpointError, CheckpointHook, collect, composableLoop, DecisionError, edit, kvStore, memoryStore,
  MockLLMBackend, OpenAIBackend, parseJSONL, resumeFrom, toJSONL, ToolRegistry, type Checkpoint, type CheckpointStore, type Hook, type LLMBackend, type LoopEvent,
} from '../lib/index.ts';
import { readCheckpoint } from '../lib/loop/read-checkpoint.ts';
import { defineEval, evalRun } from '../lib/evals/index.ts';
import { fileStore } from '../lib/stores/file.node.ts';
import { useWireServers } from './backends/wire-server.ts';
import { call, done, makeTools, recorder, reply } from './helpers.ts';

const serve = useWireServers();

/** send(to) with counted runs; `needsApproval` as given. */
function mailTools(needsApproval = true) {
  const sent: string[] = [];
  const tools = new ToolRegistry().register({
    name: 'send', description: 'Send mail.', needsApproval,
    parameters: { type: 'object', properties: { to: { type: 'string', pattern: '^[a-z]+$' } }, required: ['to'], additionalProperties: false },
    execute: ({ to }) => { sent.push(String(to)); return 'sent'; },
  });
  return { tools, sent };
}

describe('needsApproval holds whatever hooks are installed', () => {
  it.each<[string, Hook[]]>([
    ['no hooks', []],
    ['a hook that allows everything', [{ preDispatch: () => ({ kind: 'allow' }) }]],
    ['a hook that rewrites the call', [{ preDispatch: (_c, c) => (c.name === 'send' ? { kind: 'rewrite', args: { to: 'bob' } } : undefined) }]],
    ['only an onEvent listener', [{ onEvent: () => {} }]],
  ])('with %s: the call pauses, the tool does not run, and approve() runs it once', async (_name, hooks) => {
    const { tools, sent } = mailTools();
    const llm = new MockLLMBackend([reply(call('send', { to: 'ann' }, 's1')), done('ok')]);
    const first = await collect(composableLoop({ llm, tools, task: 't', hooks }));
    expect(first.outcome).toMatchObject({ status: 'paused', pending: [{ id: 's1', reason: 'send needs approval' }] });
    expect(first.steps.map((s) => s.status)).toEqual(['paused']);
    expect(sent).toEqual([]);
    const second = await collect(composableLoop({ llm, tools, hooks, resume: first.outcome.checkpoint!, decisions: { s1: approve() } }));
    expect(second.outcome.status).toBe('done');
    expect(sent).toHaveLength(1);
  });

  it('a hook that denies the call still decides it: denied, no pause', async () => {
    const { tools, sent } = mailTools();
    const llm = new MockLLMBackend([reply(call('send', { to: 'ann' })), done()]);
    const { steps, outcome } = await collect(composableLoop({ llm, tools, task: 't', hooks: [{ preDispatch: () => ({ kind: 'deny', reason: 'no mail', retry: false }) }] }));
    expect(steps[0]!.status).toBe('denied');
    expect(outcome.status).toBe('done');
    expect(sent).toEqual([]);
  });

  it('the pause is traced as a decision, so a panel can say who asked', async () => {
    const rec = recorder();
    await collect(composableLoop({ llm: new MockLLMBackend([reply(call('send', { to: 'ann' }, 's1'))]), tools: mailTools().tools, task: 't', hooks: [rec] }));
    expect(rec.events.find((e) => e.type === 'decision')).toMatchObject({ hook: 'needsApproval', slot: 'preDispatch', callId: 's1', decision: { kind: 'pause' } });
  });
});

describe('model-controlled data is never walked without a bound', () => {
  const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  const nested = (n: number) => { let v: unknown = 1; for (let i = 0; i < n; i++) v = { a: v }; return v as Record<string, unknown>; };

  it.each([
    ['as a JSON string, 300,000 levels', deep(300_000)],
    ['as an object, 100,000 levels', nested(100_000)],
    ['just past the limit', deep(65)],
  ])('arguments nested too deeply (%s) are invalid: the tool does not run, the call is answered, the run goes on', async (_n, args) => {
    const ran: unknown[] = [];
    const tools = new ToolRegistry().register({ name: 'echo', description: 'Echo.', parameters: { type: 'object' }, execute: (a) => { ran.push(a); return 'ok'; } });
    const store = memoryStore();
    // a backend of its own: the scripted one copies its replies, which a deep object defeats
    const replies = [reply({ id: 'd1', name: 'echo', arguments: args as never }), done('fine')];
    const requests: { messages: readonly { role: string; toolCallId?: string; content: string }[] }[] = [];
    const llm: LLMBackend = { generate: async (req) => (requests.push({ messages: req.messages.slice() }), replies.shift()!) };
    const { steps, outcome } = await collect(composableLoop({ llm, tools, task: 't', hooks: [new CheckpointHook({ store, runId: 'deep' })] }));
    expect(ran).toEqual([]);
    expect(steps[0]).toMatchObject({ status: 'error', toolResult: { error: { kind: 'invalid_args', message: expect.stringMatching(/nested deeper than 64 levels/) } } });
    expect(outcome).toMatchObject({ status: 'done', answer: 'fine' });
    // the model was told, bound to the call's id; the run's checkpoints were written
    expect(requests[1]!.messages.find((m) => m.role === 'tool')).toMatchObject({ toolCallId: 'd1', content: expect.stringMatching(/nested deeper/) });
    expect((await store.get('deep'))!.status).toBe('done');
  });

  it('arguments at the limit are fine', async () => {
    const { steps } = await collect(composableLoop({
      llm: new MockLLMBackend([reply(call('echo', deep(63))), done()]),
      tools: new ToolRegistry().register({ name: 'echo', description: 'Echo.', parameters: { type: 'object' }, execute: () => 'ok' }),
      task: 't',
    }));
    expect(steps[0]!.status).toBe('ok');
  });
});

describe('a reply that breaks the backend contract', () => {
  it.each([[[null]], [[{ name: 'greet', arguments: {} }, 7]], ['not an array']])('toolCalls %j ends the run malformed, naming the contract', async (toolCalls) => {
    const llm: LLMBackend = { generate: async () => ({ toolCalls: toolCalls as never }) };
    const { outcome } = await collect(composableLoop({ llm, tools: makeTools().tools, task: 't' }));
    expect(outcome).toMatchObject({ status: 'error', error: { kind: 'malformed', retriable: false, message: expect.stringMatching(/LLMBackend contract/) } });
  });
});

describe('checkpoints: every field the loop relies on, and calls that cannot run unchecked', () => {
  async function paused(opts: { approvalSecret?: string; store?: CheckpointStore } = {}) {
    const { tools, sent } = mailTools(false);
    const llm = new MockLLMBackend([reply(call('send', { to: 'ann' }, 's1')), done('ok')]);
    const hooks = [new ApprovalHook({ tools: ['send'] }), ...(opts.store ? [new CheckpointHook({ store: opts.store, runId: 'r1' })] : [])];
    const first = await collect(composableLoop({ llm, tools, task: 't', hooks, runId: 'r1', ...(opts.approvalSecret ? { approvalSecret: opts.approvalSecret } : {}) }));
    return { tools, sent, llm, hooks, first, cp: JSON.parse(JSON.stringify(first.outcome.checkpoint)) as Checkpoint & { batch: { calls: Record<string, unknown>[] } } };
  }

  it('a checkpoint without notes (or with a non-string note) is corrupt, not a TypeError', async () => {
    const { cp } = await paused();
    expect(() => readCheckpoint({ ...cp, notes: undefined })).toThrow(CheckpointError);
    expect(() => readCheckpoint({ ...cp, notes: [1] })).toThrow(/corrupt: "notes"/);
  });

  it('a paused call whose stored arguments were changed to invalid ones does not run when approved', async () => {
    const { cp, tools, sent, llm, hooks } = await paused();
    cp.batch.calls[0]!.args = { to: 'NOT VALID!' };
    const r = await collect(composableLoop({ llm, tools, hooks, resume: cp, decisions: { s1: approve() } }));
    expect(sent).toEqual([]);
    expect(r.steps[0]).toMatchObject({ status: 'error', toolResult: { error: { kind: 'invalid_args' } } });
  });

  it('a stored call in an unknown state is corrupt', async () => {
    const { cp } = await paused();
    (cp.batch.calls[0] as Record<string, unknown>).state = 'teleported';
    expect(() => readCheckpoint(cp)).toThrow(/corrupt: "batch"/);
  });

  it('a checkpoint whose batch was removed is refused: the model would get an unanswered call', async () => {
    const { cp, tools, llm } = await paused();
    const { batch: _b, ...noBatch } = cp;
    await expect(collect(composableLoop({ llm, tools, resume: noBatch as Checkpoint }))).rejects.toThrow(/call "s1" is never answered/);
  });

  it.each([
    ['memoryStore', async () => memoryStore()],
    ['kvStore', async () => { const m = new Map<string, string>(); return kvStore({ get: async (k) => m.get(k), put: async (k, v) => void m.set(k, v), list: async (p) => [...m.keys()].filter((k) => k.startsWith(p)), delete: async (k) => void m.delete(k) }); }],
    ['fileStore', async () => fileStore(await mkdtemp(join(tmpdir(), 'looplet-put-')))],
  ])('%s takes any value on put; reading it back says it is not a checkpoint', async (_n, make) => {
    const store = await make();
    const resume = () => collect(resumeFrom(store, 'junk', { llm: new MockLLMBackend([]), tools: makeTools().tools }));
    for (const value of ['text', 42, [], { messages: 'x' }, { messages: ['x'] }, { v: 2 }]) {
      await expect(store.put('junk', value as never)).resolves.toBeUndefined();
      await expect(resume()).rejects.toThrow(CheckpointError);
    }
    for (const value of [undefined, null]) {
      await expect(store.put('junk', value as never)).resolves.toBeUndefined();
      await expect(resume()).rejects.toThrow(/No checkpoint for run junk/);
    }
  });

  it('with an approvalSecret, a call flipped from paused to runnable in the store does not run', async () => {
    const store = memoryStore();
    const { tools, sent, llm, hooks } = await paused({ approvalSecret: 'secret-1', store });
    const saved = (await store.get('r1'))! as Checkpoint & { batch: { calls: Record<string, unknown>[] } };
    expect(saved.batch.seal).toMatch(/^[0-9a-f]{64}$/);
    for (const forge of [
      (c: Record<string, unknown>) => { c.state = 'approved'; delete c.hold; },
      (c: Record<string, unknown>) => { c.args = { to: 'mallory' }; },
    ]) {
      const tampered = structuredClone(saved);
      forge(tampered.batch.calls[0]!);
      await store.put('r1', tampered);
      await expect(collect(resumeFrom(store, 'r1', { llm, tools, hooks, approvalSecret: 'secret-1' }))).rejects.toMatchObject({ name: 'CheckpointError', code: 'tampered' });
      // without the seal: still no tool runs
      const unsealed = structuredClone(tampered);
      delete unsealed.batch.seal;
      await store.put('r1', unsealed);
      const r = collect(resumeFrom(store, 'r1', { llm, tools, hooks, approvalSecret: 'secret-1' }));
      await r.then((x) => expect(x.outcome.status).toBe('paused'), (e: unknown) => expect(e).toMatchObject({ code: 'tampered' }));
    }
    expect(sent).toEqual([]);
  });

  it('decision and checkpoint errors have a class and a code an app can answer with', async () => {
    const { first, tools, llm, hooks, cp } = await paused({ approvalSecret: 'k' });
    const resume = (decisions: Record<string, ReturnType<typeof approve>>) => collect(composableLoop({ llm, tools, hooks, approvalSecret: 'k', resume: cp, decisions }));
    await expect(resume({ s1: approve({ signature: 'f'.repeat(64) }) })).rejects.toMatchObject({ name: 'DecisionError', code: 'bad_signature' });
    await expect(resume({ nope: approve() })).rejects.toMatchObject({ name: 'DecisionError', code: 'no_pending_call' });
    await expect(resume({ s1: { kind: 'maybe' } as never })).rejects.toBeInstanceOf(DecisionError);
    const ok = await resume({ s1: approve({ signature: first.outcome.pending![0]!.signature! }) });
    expect(ok.outcome.status).toBe('done');
    await expect(collect(composableLoop({ llm, tools, resume: { ...cp, status: 'done' } }))).rejects.toMatchObject({ name: 'CheckpointError', code: 'already_done' });
    await expect(collect(composableLoop({ llm, tools, resume: { ...cp, v: 99 } }))).rejects.toMatchObject({ code: 'version' });
  });

  it('a refused decision leaves the stored checkpoint as it was', async () => {
    const store = memoryStore();
    const { tools, llm, hooks } = await paused({ approvalSecret: 'k', store });
    const before = JSON.stringify(await store.get('r1'));
    await expect(collect(resumeFrom(store, 'r1', { llm, tools, hooks, approvalSecret: 'k', decisions: { s1: edit({ to: 'x' }) } }))).rejects.toBeInstanceOf(DecisionError);
    expect(JSON.stringify(await store.get('r1'))).toBe(before);
  });
});

describe('errors say what happened', () => {
  it('a 200 whose body is not JSON is malformed and not retried', async () => {
    for (const backend of ['openai', 'anthropic'] as const) {
      const s = await serve([{ body: '<html>oops</html>', headers: { 'content-type': 'application/json' } }]);
      const llm = backend === 'openai' ? new OpenAIBackend({ baseURL: s.url, model: 'm', stream: false, apiKey: 'k' }) : new AnthropicBackend({ baseURL: s.url, model: 'm', stream: false, apiKey: 'k' });
      const { outcome } = await collect(composableLoop({ llm, tools: makeTools().tools, task: 't' }));
      expect(outcome.error).toMatchObject({ kind: 'malformed', retriable: false });
      expect(s.seen).toHaveLength(1);
    }
  });

  it('an Anthropic message with a null content block skips it', async () => {
    const body = JSON.stringify({ type: 'message', role: 'assistant', model: 'm', stop_reason: 'tool_use', usage: { input_tokens: 1, output_tokens: 1 },
      content: [null, 7, { type: 'tool_use', id: 'tu1', name: 'done', input: { answer: 'yes' } }] });
    const s = await serve([{ body }]);
    const { outcome } = await collect(composableLoop({ llm: new AnthropicBackend({ baseURL: s.url, model: 'm', stream: false, apiKey: 'k' }), tools: makeTools().tools, task: 't' }));
    expect(outcome).toMatchObject({ status: 'done', answer: 'yes' });
  });

  it('toJSONL writes an event holding a cycle or a BigInt, and the line parses back', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    const events = [
      { v: 1, type: 'tool.result', runId: 'r', step: 1, ts: 0, callId: 'c', name: 'x', data: { cyclic, big: 10n, a: shared, b: shared }, durationMs: 0 },
      { v: 1, type: 'step', runId: 'r', step: 1, ts: 1, record: {} },
    ] as unknown as LoopEvent[];
    const back = parseJSONL(toJSONL(events));
    expect(back).toHaveLength(2);
    expect(back[0]).toMatchObject({ data: { cyclic: { name: 'loop', self: '[Circular]' }, big: '10', a: { x: 1 }, b: { x: 1 } } });
  });
});

describe('context and evals', () => {
  /** A model whose window is 1,500 tokens; it reads pages until it has read 12, then finishes. */
  function reader() {
    const tools = new ToolRegistry().register({ name: 'read', description: 'Read a page.', parameters: { type: 'object', properties: { n: { type: 'number' } } }, execute: ({ n }) => `page ${String(n)}: ${'lorem ipsum '.repeat(40)}` });
    let n = 0;
    const llm: LLMBackend = {
      async generate(req) {
        if (estimateTokens(req.messages) > 1500) throw new LLMError('context_length', 'prompt is too long', { status: 400 });
        n++;
        return n <= 12 ? { toolCalls: [{ id: `r${n}`, name: 'read', arguments: { n } }] } : { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'read 12' } }] };
      },
    };
    return { tools, llm };
  }
  const down: LLMBackend = { generate: async () => { throw new LLMError('network', 'summariser down', { retriable: true }); } };

  it('a failing stage of a chain is skipped: the next one compacts, on a threshold or a context-length error, and the failure is traced', async () => {
    for (const budgetTokens of [1200, 1_000_000]) { // below the window: threshold compactions; above it: emergencies
      const { tools, llm } = reader();
      const rec = recorder();
      const hook = new ThresholdCompactHook({ budgetTokens, strategy: compactChain(summarize({ llm: down, keepLast: 4 }), truncate({ keepFirst: 1, keepLast: 4 })) });
      const { outcome } = await collect(composableLoop({ llm, tools, task: 'Read 12 pages.', config: { maxSteps: 20 }, hooks: [hook, rec] }));
      expect({ budgetTokens, outcome: outcome.status }).toEqual({ budgetTokens, outcome: 'done' });
      const compacts = rec.events.filter((e): e is Extract<LoopEvent, { type: 'compact' }> => e.type === 'compact');
      expect(compacts.length).toBeGreaterThan(0);
      expect(compacts[0]!.failures).toEqual([{ strategy: 'summarize', message: 'summariser down' }]);
      expect(compacts.some((c) => c.tokensAfter < c.tokensBefore)).toBe(true);
    }
  });

  it('compactChain() with no strategies is an error when it is made, not a silent no-op', () => {
    expect(() => compactChain()).toThrow(LoopletError);
    expect(() => compactChain(undefined as never)).toThrow(LoopletError);
  });

  it('a score outside [0, 1] is an error result and never passes', async () => {
    const evals = [1.1, Infinity, Number.NaN, -0.5, '1'].map((v, i) => defineEval(`e${i}`, () => v as number, { threshold: 0 }));
    const scored = [defineEval('obj', () => ({ score: 2, passed: true })), defineEval('ok', () => 0.7, { threshold: 0.5 })];
    const [results] = await evalRun([...evals, ...scored], [[]]);
    expect(results!.map((r) => r.passed)).toEqual([false, false, false, false, false, false, true]);
    expect(results![0]!.reason).toMatch(/score of 1\.1: a score is a number from 0 to 1/);
  });
});
