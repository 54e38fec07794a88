import { describe, expect, it } from 'vitest';
import { collect, composableLoop, LLMError, MockLLMBackend, ToolRegistry } from '../lib/index.ts';
import { call, done, makeTools, reply, runScript, sent } from './helpers.ts';

describe('bad model output never crashes the loop', () => {
  it('unknown tool: an error step, a did-you-mean and the tool list for the model; the loop goes on', async () => {
    const { steps, llm, outcome } = await runScript([reply(call('gret', { name: 'A' }, 'u')), done()]);
    expect(steps[0]!.status).toBe('error');
    expect(steps[0]!.toolResult.error).toEqual({
      kind: 'unknown_tool', retriable: true,
      message: 'Unknown tool "gret". Did you mean "greet"? Available tools: greet, add, done.',
    });
    expect(sent(llm, 1).at(-1)).toMatchObject({ role: 'tool', toolCallId: 'u', content: expect.stringMatching(/^Error \(unknown_tool\): Unknown tool "gret"/) });
    expect(outcome.status).toBe('done');
  });

  it('arguments that are not valid JSON: an error step that shows what was sent; the tool does not run', async () => {
    const { steps, ran, llm } = await runScript([reply(call('greet', '{"name": "A"', 'j')), done()]);
    expect(ran).toHaveLength(0);
    expect(steps[0]!.toolResult.error!.kind).toBe('invalid_json');
    expect(steps[0]!.toolResult.error!.message).toMatch(/not valid JSON .*You sent: \{"name": "A"$/);
    expect(steps[0]!.toolCall.args).toEqual({});
    // the assistant message keeps the raw (broken) arguments: the model sees its own mistake
    expect(sent(llm, 1)[1]!.toolCalls![0]!.arguments).toBe('{"name": "A"');
  });

  it('arguments that are JSON but not an object are refused', async () => {
    const { steps, ran } = await runScript([reply(call('greet', '["A"]')), reply(call('greet', '5')), done()]);
    expect(ran).toHaveLength(0);
    expect(steps.slice(0, 2).map((s) => s.toolResult.error!.kind)).toEqual(['invalid_args', 'invalid_args']);
  });

  it('empty argument strings count as {}', async () => {
    const tools = new ToolRegistry().register({ name: 'now', description: 'n', parameters: { type: 'object', properties: {} }, execute: () => 'noon' });
    const { steps } = await runScript([reply(call('now', '')), done()], { tools });
    expect(steps[0]!.toolResult.data).toBe('noon');
  });

  it('arguments that fail the schema: every problem is listed, with what was sent; the tool does not run', async () => {
    const { steps, ran, llm } = await runScript([reply(call('greet', { name: 5, extra: true }, 'v')), done()]);
    expect(ran).toHaveLength(0);
    const err = steps[0]!.toolResult.error!;
    expect(err.kind).toBe('invalid_args');
    expect(err.message).toMatch(/^Invalid arguments for greet: /);
    expect(err.message).toMatch(/\/name: expected string, got number/);
    expect(err.message).toMatch(/extra/);
    expect(err.message).toMatch(/You sent: \{"name":5,"extra":true\}$/);
    expect(sent(llm, 1).at(-1)!.content).toBe(`Error (invalid_args): ${err.message}`);
  });

  it('a tool that throws: an error step with its message; the loop goes on', async () => {
    const tools = new ToolRegistry().register({ name: 'fail', description: 'f', parameters: { type: 'object' }, execute: () => { throw new Error('boom'); } });
    const { steps, outcome, llm } = await runScript([reply(call('fail')), done()], { tools });
    expect(steps[0]!.toolResult.error).toEqual({ kind: 'tool_error', message: 'boom', retriable: false });
    expect(steps[0]!.pretty()).toMatch(/^#1 ✗ fail\(\) → ERROR: boom \[\d+ms\]$/);
    expect(sent(llm, 1).at(-1)!.content).toBe('Error (tool_error): boom');
    expect(outcome.status).toBe('done');
  });

  it('a tool that runs past its timeout: a timeout error, and its signal is aborted', async () => {
    let toolSignal: AbortSignal | undefined;
    const tools = new ToolRegistry()
      .register({
        name: 'slow', description: 's', parameters: { type: 'object' }, timeoutMs: 30,
        execute: (_a, ctx) => { toolSignal = ctx.signal; return new Promise(() => {}); }, // never settles, ignores its signal
      })
      .register({ name: 'slow2', description: 's', parameters: { type: 'object' }, execute: () => new Promise((r) => setTimeout(r, 5000)) });
    const { steps, outcome, llm } = await runScript([reply(call('slow')), reply(call('slow2')), done()], { tools, config: { toolTimeoutMs: 40 } });
    expect(sent(llm, 1).at(-1)!.content).toBe('Error (timeout): The tool did not finish within 30ms.');
    expect(steps[0]!.toolResult.error).toMatchObject({ kind: 'timeout', retriable: true, message: 'The tool did not finish within 30ms.' });
    expect(steps[1]!.toolResult.error).toMatchObject({ kind: 'timeout', message: 'The tool did not finish within 40ms.' });
    expect(toolSignal!.aborted).toBe(true);
    expect((toolSignal!.reason as DOMException).name).toBe('TimeoutError');
    expect(outcome.status).toBe('done');
  });

  it('a reply with no tool call: the model is nudged, and after maxNoToolCallTurns the run ends with no_tool_call', async () => {
    const { llm, outcome, steps, events } = await runScript([{ text: 'Hmm.' }, reply(call('greet', { name: 'A' })), { text: 'a' }, { text: 'b' }, { text: 'c' }], {
      config: { maxNoToolCallTurns: 3 },
    });
    expect(sent(llm, 1).slice(-2)).toEqual([
      { role: 'assistant', content: 'Hmm.' },
      { role: 'user', content: expect.stringMatching(/did not call a tool.*call `done`/) },
    ]);
    expect(steps).toHaveLength(1);
    expect(llm.requests).toHaveLength(5);
    expect(outcome).toMatchObject({ status: 'error', reason: 'no_tool_call', error: { kind: 'no_tool_call' } });
    expect(events.some((e) => e.type === 'error' && e.error.kind === 'no_tool_call')).toBe(true);
  });

  it('a backend that returns garbage ends the run with a malformed error', async () => {
    const llm = { generate: async () => null as never };
    const { outcome } = await collect(composableLoop({ llm, tools: makeTools().tools, task: 't' }));
    expect(outcome).toMatchObject({ status: 'error', error: { kind: 'malformed' } });
  });

  it('a typed LLMError keeps its kind and retriable flag in the outcome', async () => {
    const llm = { generate: async () => { throw new LLMError('rate_limit', '429 Too Many Requests', { status: 429, retriable: true }); } };
    const { outcome } = await collect(composableLoop({ llm, tools: makeTools().tools, task: 't' }));
    expect(outcome.error).toEqual({ kind: 'rate_limit', message: '429 Too Many Requests', retriable: true });
  });

  it('tool calls without ids, or with repeated ids, get unique ids bound to their results', async () => {
    const { steps, llm } = await runScript([reply(call('greet', { name: 'A' }), call('greet', { name: 'B' })), reply(call('greet', { name: 'C' }, 'x'), call('greet', { name: 'D' }, 'x')), done()]);
    const ids = steps.map((s) => s.toolCall.id);
    expect(new Set(ids).size).toBe(ids.length);
    const tools = sent(llm, 2).filter((m) => m.role === 'tool').map((m) => m.toolCallId);
    expect(tools).toEqual(ids.slice(0, 4));
  });
});

describe('abort', () => {
  it('an already-aborted signal ends the run before the model is called', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const { outcome, llm } = await runScript([done()], { signal: ctrl.signal });
    expect(outcome.status).toBe('aborted');
    expect(llm.requests).toHaveLength(0);
  });

  it('aborting during the model call ends the run aborted and no tool runs', async () => {
    const ctrl = new AbortController();
    const llm = {
      generate: (_r: unknown, { signal }: { signal: AbortSignal }) =>
        new Promise<never>((_, rej) => { signal.addEventListener('abort', () => rej(signal.reason)); setTimeout(() => ctrl.abort(new Error('user left')), 10); }),
    };
    const { outcome, steps } = await collect(composableLoop({ llm, tools: makeTools().tools, task: 't', signal: ctrl.signal }));
    expect(steps).toHaveLength(0);
    expect(outcome).toMatchObject({ status: 'aborted', reason: 'aborted: user left' });
  });

  it('aborting during a tool stops waiting at once, aborts the tool and ends the run aborted', async () => {
    const ctrl = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const tools = new ToolRegistry().register({
      name: 'hang', description: 'h', parameters: { type: 'object' },
      execute: (_a, ctx) => { toolSignal = ctx.signal; setTimeout(() => ctrl.abort(), 10); return new Promise(() => {}); },
    });
    const llm = new MockLLMBackend([reply(call('hang')), done()]);
    const { outcome, steps } = await collect(composableLoop({ llm, tools, task: 't', signal: ctrl.signal }));
    expect(steps[0]!.toolResult.error!.kind).toBe('aborted');
    expect(toolSignal!.aborted).toBe(true);
    expect(outcome.status).toBe('aborted');
    expect(llm.requests).toHaveLength(1);
  });
});

describe('JSON-in-text mode', () => {
  it('asks for {"tool", "args"} in the system prompt, sends no native tools, and parses calls from prose', async () => {
    const { steps, llm, outcome } = await runScript(
      ['Sure! Here is the call:\n```json\n{"tool": "greet", "args": {"name": "Ann"}}\n```\nLet me know.', '{"tool":"done","args":{"answer":"ok"}}'],
      { config: { toolCallMode: 'json' } },
    );
    expect(llm.requests[0]!.tools).toEqual([]);
    expect(llm.requests[0]!.system).toMatch(/"tool"/);
    expect(llm.requests[0]!.system).toMatch(/greet/);
    expect(steps.map((s) => s.toolCall.name)).toEqual(['greet', 'done']);
    expect(steps[0]!.toolResult.data).toEqual({ greeting: 'Hello, Ann!' });
    expect(outcome).toMatchObject({ status: 'done', answer: 'ok' });
    // results come back as a user message, since the model has no native tool role
    const r1 = sent(llm, 1);
    expect(r1.at(-2)!.role).toBe('assistant');
    expect(r1.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/^Result of greet \(call_1\):\n\{"greeting":"Hello, Ann!"\}/) });
  });

  it('a malformed call is not run, and the model is told what was wrong', async () => {
    const { llm, steps } = await runScript(['```json\n{"tool": "greet", "args": {"name": "Ann"}\n```', '{"tool":"done","args":{"answer":1}}'], {
      config: { toolCallMode: 'json' },
    });
    expect(steps.map((s) => s.toolCall.name)).toEqual(['done']);
    expect(sent(llm, 1).at(-1)!.role).toBe('user');
    expect(sent(llm, 1).at(-1)!.content).toMatch(/not valid JSON/);
  });
});
