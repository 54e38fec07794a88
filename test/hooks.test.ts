import { describe, expect, it } from 'vitest';
import { allow, collect, composableLoop, deny, inject, MockLLMBackend, respond, rewrite, stop, type Hook, type Message } from '../lib/index.ts';
import { call, done, makeTools, reply, runScript, sent } from './helpers.ts';

describe('prePrompt', () => {
  it('keeps every injection, in hook order, as one user message right before the model call', async () => {
    const hooks: Hook[] = [{ prePrompt: () => 'first note' }, { prePrompt: () => inject('second note') }, { prePrompt: () => undefined }];
    const { llm } = await runScript([reply(call('greet', { name: 'A' })), done()], { hooks });
    const r0 = sent(llm, 0);
    expect(r0.at(-1)).toEqual({ role: 'user', content: 'first note\n\nsecond note' });
    // the injection stays in the conversation: the prefix of the next prompt is unchanged
    const r1 = sent(llm, 1);
    expect(JSON.stringify(r1.slice(0, r0.length))).toBe(JSON.stringify(r0));
    expect(r1.at(-1)).toEqual({ role: 'user', content: 'first note\n\nsecond note' });
  });

  it('chains returned message lists through the hooks, and the rewrite persists', async () => {
    const seenBySecond: (readonly Message[])[] = [];
    const redact: Hook = { prePrompt: (_c, msgs) => msgs.map((m) => ({ ...m, content: m.content.replaceAll('secret', '[redacted]') })) };
    const second: Hook = { prePrompt: (_c, msgs) => void seenBySecond.push(msgs) };
    const { llm } = await runScript([reply(call('greet', { name: 'A' })), done()], { hooks: [redact, second], task: 'the secret plan' });
    expect(sent(llm, 0)[0]!.content).toBe('the [redacted] plan');
    expect(seenBySecond[0]![0]!.content).toBe('the [redacted] plan');
    expect(sent(llm, 1)[0]!.content).toBe('the [redacted] plan');
  });
});

describe('preDispatch', () => {
  it('the first decision wins, an explicit allow() included; later hooks are not asked', async () => {
    let asked = 0;
    const hooks: Hook[] = [{ preDispatch: () => allow() }, { preDispatch: () => { asked++; return deny('no'); } }];
    const { steps, ran } = await runScript([reply(call('greet', { name: 'A' })), done()], { hooks });
    expect(asked).toBe(0);
    expect(ran).toHaveLength(1);
    expect(steps[0]!.status).toBe('ok');
  });

  it('hooks that return nothing pass the call on to the next hook', async () => {
    const order: string[] = [];
    const hooks: Hook[] = [
      { preDispatch: () => void order.push('a') },
      { preDispatch: () => { order.push('b'); return deny('b says no'); } },
      { preDispatch: () => void order.push('c') },
    ];
    await runScript([reply(call('greet', { name: 'A' })), done()], { hooks });
    expect(order).toEqual(['a', 'b']);
  });

  it('deny: the tool does not run, the step is denied and the model sees the reason', async () => {
    const hooks: Hook[] = [{ preDispatch: (_c, c) => (c.name === 'greet' ? deny('greeting is off today', { retry: true }) : undefined) }];
    const { steps, ran, llm } = await runScript([reply(call('greet', { name: 'A' }, 'g')), done()], { hooks });
    expect(ran).toHaveLength(0);
    expect(steps[0]!.status).toBe('denied');
    expect(steps[0]!.toolResult.error).toEqual({ kind: 'denied', message: 'greeting is off today', retriable: true });
    expect(steps[0]!.pretty()).toMatch(/^#1 ✗ greet\(name='A'\) → DENIED: greeting is off today/);
    expect(sent(llm, 1).at(-1)).toEqual({ role: 'tool', toolCallId: 'g', name: 'greet', content: 'Denied: greeting is off today (You may retry.)' });
  });

  it('rewrite: the tool runs with the new arguments, validated again', async () => {
    const hooks: Hook[] = [{ preDispatch: (_c, c) => (c.args.name === 'bob' ? rewrite({ name: 'Bob' }) : c.args.name === 'bad' ? rewrite({ name: 5 }) : undefined) }];
    const { steps, ran } = await runScript([reply(call('greet', { name: 'bob' })), reply(call('greet', { name: 'bad' })), done()], { hooks });
    expect(ran).toEqual([{ name: 'greet', args: { name: 'Bob' } }]);
    expect(steps[0]!.toolCall.args).toEqual({ name: 'Bob' });
    expect(steps[0]!.toolResult.data).toEqual({ greeting: 'Hello, Bob!' });
    // a rewrite that fails the schema never reaches the tool
    expect(steps[1]!.status).toBe('error');
    expect(steps[1]!.toolResult.error!.kind).toBe('invalid_args');
  });

  it('respond: the tool does not run and the given result is recorded', async () => {
    const hooks: Hook[] = [{ preDispatch: () => respond({ cached: true }) }];
    const { steps, ran, llm } = await runScript([reply(call('greet', { name: 'A' })), done()], { hooks });
    expect(ran).toHaveLength(0);
    expect(steps[0]!.status).toBe('ok');
    expect(steps[0]!.toolResult.data).toEqual({ cached: true });
    expect(sent(llm, 1).at(-1)!.content).toBe('{"cached":true}');
  });

  it('stop: the tool does not run, the step is denied and the run ends stopped', async () => {
    const hooks: Hook[] = [{ preDispatch: (_c, c) => (c.name === 'add' ? stop('budget exceeded') : undefined) }];
    const { steps, ran, outcome } = await runScript([reply(call('greet', { name: 'A' }), call('add', { a: 1, b: 2 }), call('greet', { name: 'C' }))], { hooks });
    expect(ran.map((r) => r.args.name)).toEqual(['A']);
    expect(steps.map((s) => s.status)).toEqual(['ok', 'denied']);
    expect(outcome).toMatchObject({ status: 'stopped', reason: 'budget exceeded', steps: 2 });
  });

  it('is never asked about done: a permission rule cannot keep an agent from stopping', async () => {
    const hooks: Hook[] = [{ preDispatch: () => deny('nothing is allowed') }];
    const { outcome } = await runScript([done('bye')], { hooks });
    expect(outcome).toMatchObject({ status: 'done', answer: 'bye' });
  });

  it('sees validated arguments only: invalid calls never reach the hook', async () => {
    const seen: unknown[] = [];
    const { steps } = await runScript([reply(call('greet', { nom: 'A' })), done()], { hooks: [{ preDispatch: (_c, c) => void seen.push(c) }] });
    expect(seen).toEqual([]);
    expect(steps[0]!.toolResult.error!.kind).toBe('invalid_args');
  });
});

describe('postDispatch', () => {
  it('runs every hook; notes reach the next prompt in hook order, after the tool results', async () => {
    const order: string[] = [];
    const hooks: Hook[] = [
      { postDispatch: (_c, c) => { order.push(`a:${c.name}`); return c.name === 'greet' ? 'note A' : undefined; } },
      { postDispatch: (_c, c) => { order.push(`b:${c.name}`); return c.name === 'greet' ? inject('note B') : undefined; } },
      { postDispatch: (_c, c) => void order.push(`c:${c.name}`) },
    ];
    const { llm } = await runScript([reply(call('greet', { name: 'A' }, 'g')), done()], { hooks });
    expect(order).toEqual(['a:greet', 'b:greet', 'c:greet', 'a:done', 'b:done', 'c:done']);
    const r1 = sent(llm, 1);
    expect(r1.at(-2)).toMatchObject({ role: 'tool', toolCallId: 'g' });
    expect(r1.at(-1)).toEqual({ role: 'user', content: 'note A\n\nnote B' });
  });

  it('respond(result) replaces the recorded result, chained through later hooks', async () => {
    const seen: unknown[] = [];
    const hooks: Hook[] = [
      { postDispatch: (_c, _call, r) => respond({ wrapped: r.data }) },
      { postDispatch: (_c, _call, r) => { seen.push(r.data); return undefined; } },
    ];
    const { steps, llm } = await runScript([reply(call('greet', { name: 'A' })), done()], { hooks });
    expect(seen[0]).toEqual({ wrapped: { greeting: 'Hello, A!' } });
    expect(steps[0]!.toolResult.data).toEqual({ wrapped: { greeting: 'Hello, A!' } });
    expect(sent(llm, 1).at(-1)!.content).toBe('{"wrapped":{"greeting":"Hello, A!"}}');
  });

  it('sees errors and the done step too', async () => {
    const seen: string[] = [];
    await runScript([reply(call('nope')), done()], { hooks: [{ postDispatch: (_c, c, r) => void seen.push(`${c.name}:${r.error?.kind ?? 'ok'}`) }] });
    expect(seen).toEqual(['nope:unknown_tool', 'done:ok']);
  });
});

describe('checkDone', () => {
  it('the first rejection wins: done is refused as a denied step, the model sees why, and the loop goes on', async () => {
    let calls = 0;
    const hooks: Hook[] = [
      { checkDone: () => (calls++ === 0 ? 'run the tests first' : undefined) },
      { checkDone: () => deny('never asked while the first refuses') },
    ];
    const { steps, outcome, llm } = await runScript([done('early'), reply(call('greet', { name: 'A' })), done('late')], { hooks: [hooks[0]!] });
    expect(steps.map((s) => `${s.toolCall.name}:${s.status}`)).toEqual(['done:denied', 'greet:ok', 'done:ok']);
    expect(steps[0]!.toolResult.error).toMatchObject({ kind: 'done_rejected', message: 'run the tests first' });
    expect(sent(llm, 1).at(-1)!.content).toBe('Not done yet: run the tests first');
    expect(outcome).toMatchObject({ status: 'done', answer: 'late', steps: 3 });

    // with both hooks, the second one's rejection applies once the first accepts
    calls = 0;
    const both = await runScript([done('a'), done('b'), done('c')], { hooks });
    expect(both.steps.map((s) => s.toolResult.error?.message)).toEqual(['run the tests first', 'never asked while the first refuses', 'never asked while the first refuses']);
    expect(both.outcome.status).toBe('error');
  });

  it('a refused done counts towards maxSteps', async () => {
    const { outcome, steps } = await runScript([done(), done()], { hooks: [{ checkDone: () => 'no' }], config: { maxSteps: 2 } });
    expect(steps).toHaveLength(2);
    expect(outcome.status).toBe('max_steps');
  });
});

describe('shouldStop', () => {
  it('any true ends the loop with status stopped', async () => {
    const hooks: Hook[] = [{ shouldStop: () => false }, { shouldStop: (_c, s) => s.index === 2 }];
    const { outcome, steps } = await runScript([reply(call('greet', { name: 'A' })), reply(call('greet', { name: 'B' })), reply(call('greet', { name: 'C' }))], { hooks });
    expect(steps).toHaveLength(2);
    expect(outcome).toMatchObject({ status: 'stopped', reason: 'hook_stop' });
  });

  it('stop(reason) gives the reason', async () => {
    const { outcome } = await runScript([reply(call('greet', { name: 'A' }))], { hooks: [{ shouldStop: () => stop('found it') }] });
    expect(outcome).toMatchObject({ status: 'stopped', reason: 'found it', steps: 1 });
  });
});

describe('hooks that throw', () => {
  it('become error events, not a crashed loop', async () => {
    const boom = (): never => { throw new Error('kaput'); };
    const hooks: Hook[] = [{ name: 'flaky', prePrompt: boom, postDispatch: boom, shouldStop: boom, onLoopEnd: boom, preLoop: boom }];
    const { outcome, events, steps } = await runScript([reply(call('greet', { name: 'A' })), done()], { hooks });
    expect(outcome.status).toBe('done');
    expect(steps[0]!.status).toBe('ok');
    const errors = events.filter((e) => e.type === 'error');
    expect(errors.map((e) => e.type === 'error' && e.slot)).toEqual(['preLoop', 'prePrompt', 'postDispatch', 'shouldStop', 'prePrompt', 'postDispatch', 'onLoopEnd']);
    expect(errors[0]).toMatchObject({ source: 'hook', hook: 'flaky', error: { kind: 'hook_error', message: 'flaky.preLoop threw: kaput' } });
  });

  it('a throwing preDispatch fails closed: the tool does not run', async () => {
    const { steps, ran, events } = await runScript([reply(call('greet', { name: 'A' })), done()], {
      hooks: [{ name: 'guard', preDispatch: async () => { throw new Error('db down'); } }],
    });
    expect(ran).toHaveLength(0);
    expect(steps[0]!.toolResult.error).toMatchObject({ kind: 'hook_error', message: expect.stringMatching(/guard failed \(db down\)/) });
    expect(events.some((e) => e.type === 'error' && e.slot === 'preDispatch')).toBe(true);
  });

  it('a throwing checkDone never keeps the agent from stopping', async () => {
    const { outcome } = await runScript([done('x')], { hooks: [{ checkDone: () => { throw new Error('x'); } }] });
    expect(outcome.status).toBe('done');
  });

  it('a throwing onEvent is reported to the other listeners', async () => {
    const { events, outcome } = await runScript([done()], { hooks: [{ name: 'bad-sink', onEvent: () => { throw new Error('disk full'); } }] });
    expect(outcome.status).toBe('done');
    expect(events.filter((e) => e.type === 'error' && e.hook === 'bad-sink').length).toBeGreaterThan(0);
  });

  it("with hookErrors: 'throw', the loop rethrows after teardown", async () => {
    const ends: string[] = [];
    const { tools } = makeTools();
    const llm = new MockLLMBackend([reply(call('greet', { name: 'A' })), done()]);
    const hooks: Hook[] = [{ postDispatch: () => { throw new Error('strict'); } }, { onLoopEnd: (_c, o) => void ends.push(o.status) }];
    await expect(collect(composableLoop({ llm, tools, task: 't', hooks, config: { hookErrors: 'throw' } }))).rejects.toThrow('strict');
    expect(ends).toEqual(['error']);
  });

  it('an invalid return value from preDispatch is a recorded error and the call does not run', async () => {
    const { steps, ran } = await runScript([reply(call('greet', { name: 'A' })), done()], { hooks: [{ preDispatch: () => 'yes' as never }] });
    expect(ran).toHaveLength(0);
    expect(steps[0]!.toolResult.error!.kind).toBe('hook_error');
  });
});

describe('hook context', () => {
  it('carries run id, step, state, config and the conversation', async () => {
    const seen: unknown[] = [];
    const hook: Hook = {
      preDispatch: (ctx, c) => void seen.push({ step: ctx.step, count: ctx.stepCount, max: ctx.config.maxSteps, n: ctx.messages.length, s: ctx.state.k, name: c.name }),
    };
    await runScript([reply(call('greet', { name: 'A' }), call('add', { a: 1, b: 1 })), done()], { hooks: [hook], state: { k: 'v' }, config: { maxSteps: 9 } });
    expect(seen).toEqual([
      { step: 1, count: 0, max: 9, n: 2, s: 'v', name: 'greet' },
      { step: 2, count: 0, max: 9, n: 2, s: 'v', name: 'add' },
    ]);
  });
});

describe('pause (the generator side; resuming comes with checkpoints)', () => {
  it('yields a paused step, runs nothing after it and ends paused with every unrun call pending', async () => {
    const { pause } = await import('../lib/index.ts');
    const hooks: Hook[] = [{ preDispatch: (_c, c) => (c.name === 'add' ? pause('needs approval') : undefined) }];
    const { steps, ran, outcome, events } = await runScript(
      [reply(call('greet', { name: 'A' }, 'g1'), call('add', { a: 1, b: 2 }, 'a1'), call('greet', { name: 'B' }, 'g2'))],
      { hooks },
    );
    expect(ran.map((r) => r.args.name)).toEqual(['A']);
    expect(steps.map((s) => s.status)).toEqual(['ok', 'paused']);
    expect(steps[1]!.pretty()).toMatch(/^#2 ⏸ add\(a=1, b=2\) → PAUSED: needs approval/);
    // the paused call is not a step yet: it does not count towards maxSteps
    expect(outcome).toMatchObject({ status: 'paused', reason: 'needs approval', steps: 1 });
    expect(outcome.checkpoint).toMatchObject({ v: 2, status: 'paused', stepCount: 1 });
    expect(outcome.pending).toEqual([
      { id: 'a1', call: { id: 'a1', name: 'add', args: { a: 1, b: 2 } }, reason: 'needs approval' },
      { id: 'g2', call: { id: 'g2', name: 'greet', args: { name: 'B' } }, reason: expect.stringMatching(/paused/) },
    ]);
    expect(events.some((e) => e.type === 'pause')).toBe(true);
  });
});
