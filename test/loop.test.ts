import { describe, expect, it } from 'vitest';
import { collect, composableLoop, doneTool, LoopletError, MockLLMBackend, ToolRegistry, type HookContext, type Message } from '../lib/index.ts';
import { call, done, makeTools, reply, runScript, sent } from './helpers.ts';

describe('composableLoop: the quickstart', () => {
  it('runs tools, yields a Step per call and ends with done', async () => {
    const { steps, outcome, ran } = await runScript([
      { ...reply(call('greet', { name: 'Alice' }), call('greet', { name: 'Bob' })), usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } },
      { ...done({ text: 'greeted both' }), usage: { inputTokens: 20, outputTokens: 2, totalTokens: 22, costUsd: 0.001 } },
    ]);
    expect(ran.map((r) => r.args.name)).toEqual(['Alice', 'Bob']);
    expect(steps.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(steps[0]!.pretty()).toMatch(/^#1 ✓ greet\(name='Alice'\) → 1 keys \[\d+ms\]$/);
    expect(steps[0]!.toolResult.data).toEqual({ greeting: 'Hello, Alice!' });
    expect(steps[2]!.toolCall.name).toBe('done');
    expect(outcome).toMatchObject({ status: 'done', reason: 'done', answer: { text: 'greeted both' }, steps: 3 });
    expect(outcome.usage).toEqual({ inputTokens: 30, outputTokens: 7, totalTokens: 37, costUsd: 0.001 });
    // usage belongs to the first step of each reply, so summing steps gives the total
    expect(steps.map((s) => s.usage?.totalTokens)).toEqual([15, undefined, 22]);
  });

  it('adds done when the registry has none, and says so, without changing the registry', async () => {
    const { tools } = makeTools();
    const llm = new MockLLMBackend([done()]);
    const { outcome } = await collect(composableLoop({ llm, tools, task: 't' }));
    expect(outcome.status).toBe('done');
    const names = llm.requests[0]!.tools.map((t) => t.name);
    expect(names).toEqual(['greet', 'add', 'done']);
    expect(llm.requests[0]!.tools[2]!.description).toMatch(/added by looplet/);
    expect(tools.has('done')).toBe(false);
  });

  it('uses a registered doneTool() as is, without a duplicate', async () => {
    const tools = makeTools().tools.register(doneTool());
    const llm = new MockLLMBackend([done(42)]);
    const { outcome } = await collect(composableLoop({ llm, tools, task: 't' }));
    expect(llm.requests[0]!.tools.filter((t) => t.name === 'done')).toHaveLength(1);
    expect(outcome.answer).toBe(42);
  });

  it('accepts a plain array of tool specs', async () => {
    const llm = new MockLLMBackend([reply(call('echo', { x: 1 })), done()]);
    const specs = [{ name: 'echo', description: 'Echo.', parameters: { type: 'object' }, execute: (a: Record<string, unknown>) => a }];
    const { steps } = await collect(composableLoop({ llm, tools: specs, task: 't' }));
    expect(steps[0]!.toolResult.data).toEqual({ x: 1 });
  });

  it('sends real multi-turn messages whose prefix stays byte-stable between steps', async () => {
    const { llm } = await runScript(
      [reply(call('greet', { name: 'A' }, 'c1')), reply(call('add', '{"a":1,"b":2}', 'c2'), call('greet', { name: 'B' }, 'c3')), done()],
      { task: { goal: 'Greet and add.', people: ['A', 'B'] } },
    );
    const r0 = sent(llm, 0), r1 = sent(llm, 1), r2 = sent(llm, 2);
    expect(r0).toEqual([{ role: 'user', content: 'Greet and add.\n\n{\n  "people": [\n    "A",\n    "B"\n  ]\n}' }]);
    expect(r1).toEqual([
      r0[0],
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'greet', arguments: '{"name":"A"}' }] },
      { role: 'tool', content: '{"greeting":"Hello, A!"}', toolCallId: 'c1', name: 'greet' },
    ]);
    // raw argument strings are kept exactly as the model sent them
    expect(r2[3]).toMatchObject({ role: 'assistant', toolCalls: [{ id: 'c2', arguments: '{"a":1,"b":2}' }, { id: 'c3' }] });
    expect(r2.slice(4)).toEqual([
      { role: 'tool', content: '3', toolCallId: 'c2', name: 'add' },
      { role: 'tool', content: '{"greeting":"Hello, B!"}', toolCallId: 'c3', name: 'greet' },
    ]);
    for (let i = 1; i < 3; i++) {
      const prev = sent(llm, i - 1), cur = sent(llm, i);
      expect(JSON.stringify(cur.slice(0, prev.length))).toBe(JSON.stringify(prev));
    }
  });

  it('passes the system prompt separately and the config to the request', async () => {
    const { llm } = await runScript([done()], { config: { system: 'Be brief.', parallelToolCalls: false } });
    expect(llm.requests[0]!.system).toBe('Be brief.');
    expect(llm.requests[0]!.parallelToolCalls).toBe(false);
    const { llm: dflt } = await runScript([done()]);
    expect(dflt.requests[0]!.system).toMatch(/call `done`/);
  });

  it('gives tools their context: signal, runId, step, callId and the shared state', async () => {
    const seen: unknown[] = [];
    const tools = new ToolRegistry().register({
      name: 'peek', description: 'p', parameters: { type: 'object' },
      execute: (_a, ctx) => { seen.push({ step: ctx.step, callId: ctx.callId, runId: typeof ctx.runId, aborted: ctx.signal.aborted, n: ctx.state.n }); return null; },
    });
    const { outcome } = await runScript([reply(call('peek', {}, 'x1')), done()], { tools, state: { n: 7 } });
    expect(seen).toEqual([{ step: 1, callId: 'x1', runId: 'string', aborted: false, n: 7 }]);
    expect(outcome.runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('treats a tool result shaped like { error } as data, not as an error', async () => {
    const tools = new ToolRegistry().register({ name: 'lookup', description: 'l', parameters: { type: 'object' }, execute: () => ({ error: 'not found' }) });
    const { steps } = await runScript([reply(call('lookup')), done()], { tools });
    expect(steps[0]!.status).toBe('ok');
    expect(steps[0]!.toolResult.error).toBeUndefined();
  });

  it('runs the calls of one reply concurrently when parallel calls are on', async () => {
    let started = 0;
    let release!: () => void;
    const both = new Promise<void>((r) => (release = r));
    const tools = new ToolRegistry().register({
      name: 'wait', description: 'w', parameters: { type: 'object' },
      execute: async () => {
        if (++started === 2) release();
        // sequential execution would never reach 2: fail fast instead of hanging
        await Promise.race([both, new Promise((_, rej) => setTimeout(() => rej(new Error('ran sequentially')), 2000))]);
        return 'ok';
      },
    });
    const { steps } = await runScript([reply(call('wait'), call('wait')), done()], { tools });
    expect(steps.slice(0, 2).map((s) => s.status)).toEqual(['ok', 'ok']);
  });

  it('with parallelToolCalls off, runs one call per reply and tells the model about the others', async () => {
    const { steps, llm, ran } = await runScript([reply(call('greet', { name: 'A' }, 'a'), call('greet', { name: 'B' }, 'b')), done()], {
      config: { parallelToolCalls: false },
    });
    expect(ran).toHaveLength(1);
    expect(steps.map((s) => s.toolCall.name)).toEqual(['greet', 'done']);
    expect(sent(llm, 1).at(-1)).toMatchObject({ role: 'tool', toolCallId: 'b', content: expect.stringMatching(/only one tool call per reply/) });
  });

  it('rejects bad options with a LoopletError', async () => {
    const { tools } = makeTools();
    const llm = new MockLLMBackend([]);
    await expect(collect(composableLoop({ llm, tools, task: '' }))).rejects.toThrow(LoopletError);
    await expect(collect(composableLoop({ llm, tools, task: 't', config: { maxSteps: 0 } }))).rejects.toThrow(/maxSteps/);
    await expect(collect(composableLoop({ llm: {} as never, tools, task: 't' }))).rejects.toThrow(/generate/);
    await expect(collect(composableLoop({ llm, tools, task: 't', resume: { v: 1, runId: 'x' } as never }))).rejects.toThrow(/checkpoint is corrupt/);
    await expect(collect(composableLoop({ llm, tools, task: 't', decisions: {} }))).rejects.toThrow(/pass it as `resume`/);
  });
});

describe('the step budget', () => {
  it('is checked per call: a reply with more calls than the budget never exceeds maxSteps', async () => {
    let final: readonly Message[] = [];
    const { steps, outcome, ran } = await runScript(
      [reply(call('greet', { name: 'A' }, 'a'), call('greet', { name: 'B' }, 'b'), call('greet', { name: 'C' }, 'c'))],
      { config: { maxSteps: 2 }, hooks: [{ onLoopEnd: (ctx: HookContext) => void (final = ctx.messages) }] },
    );
    expect(steps).toHaveLength(2);
    expect(ran).toHaveLength(2);
    expect(outcome).toMatchObject({ status: 'max_steps', reason: 'max_steps', steps: 2 });
    // every call still gets a tool message: providers reject unanswered calls
    const answered = final.filter((m) => m.role === 'tool').map((m) => m.toolCallId);
    expect(answered).toEqual(['a', 'b', 'c']);
    expect(final.at(-1)!.content).toMatch(/step budget \(maxSteps=2\)/);
  });

  it('answers calls that came after done in the same reply without running them', async () => {
    let final: readonly Message[] = [];
    const { steps, ran, outcome } = await runScript([reply(call('done', { answer: 1 }, 'd'), call('greet', { name: 'X' }, 'g'))], {
      hooks: [{ onLoopEnd: (ctx: HookContext) => void (final = ctx.messages) }],
    });
    expect(outcome.status).toBe('done');
    expect(steps).toHaveLength(1);
    expect(ran).toHaveLength(0);
    expect(final.filter((m) => m.role === 'tool').map((m) => m.toolCallId)).toEqual(['d', 'g']);
  });

  it('counts refused and failed calls as steps', async () => {
    const { steps, outcome } = await runScript([reply(call('nope')), reply(call('greet', {})), reply(call('greet', { name: 'A' }))], {
      config: { maxSteps: 3 },
    });
    expect(steps.map((s) => s.status)).toEqual(['error', 'error', 'ok']);
    expect(outcome.status).toBe('max_steps');
  });

  it('ends with an honest llm_error, not max_steps, when the model call fails', async () => {
    const { outcome, steps } = await runScript([reply(call('greet', { name: 'A' }))]);
    expect(steps).toHaveLength(1);
    expect(outcome.status).toBe('error');
    expect(outcome.reason).toBe('llm_error');
    expect(outcome.error).toMatchObject({ kind: 'bad_request', message: expect.stringMatching(/no scripted response left for request #2/) });
  });
});

describe('teardown', () => {
  it('runs onLoopEnd and emits run.end when the caller breaks out of for-await', async () => {
    const ends: unknown[] = [];
    const types: string[] = [];
    const { tools } = makeTools();
    const llm = new MockLLMBackend([reply(call('greet', { name: 'A' })), reply(call('greet', { name: 'B' })), done()]);
    const hooks = [{ onLoopEnd: (_c: HookContext, o: unknown) => void ends.push(o), onEvent: (e: { type: string }) => void types.push(e.type) }];
    for await (const step of composableLoop({ llm, tools, task: 't', hooks })) {
      if (step.index === 1) break;
    }
    expect(ends).toEqual([expect.objectContaining({ status: 'stopped', reason: 'caller_stopped', steps: 1 })]);
    expect(types.at(-1)).toBe('run.end');
    expect(llm.requests).toHaveLength(1);
  });

  it('does the same when the caller calls return()', async () => {
    const ends: string[] = [];
    const { tools } = makeTools();
    const gen = composableLoop({ llm: new MockLLMBackend([reply(call('greet', { name: 'A' }))]), tools, task: 't', hooks: [{ onLoopEnd: (_c, o) => void ends.push(o.reason!) }] });
    await gen.next();
    await gen.return(undefined as never);
    expect(ends).toEqual(['caller_stopped']);
  });

  it('keeps the outcome done when the caller breaks on the done step', async () => {
    const ends: string[] = [];
    const { tools } = makeTools();
    for await (const s of composableLoop({ llm: new MockLLMBackend([done()]), tools, task: 't', hooks: [{ onLoopEnd: (_c, o) => void ends.push(o.status) }] })) {
      if (s.toolCall.name === 'done') break;
    }
    expect(ends).toEqual(['done']);
  });
});
