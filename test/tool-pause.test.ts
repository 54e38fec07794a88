// Tools that ask a human mid-call: `return ctx.pause(question, data)`, answered by approve,
// reject or edit, the tool running again with `ctx.resumed`.
import { describe, expect, it } from 'vitest';
import {
  approve, collect, composableLoop, DecisionError, edit, memoryStore, CheckpointHook, reject, resumeFrom, ToolRegistry,
  type LLMBackend, type LLMRequest, type LLMResponse, type ToolResumed,
} from '../lib/index.ts';

/** A model that decides from the conversation alone, so a resumed run gets the same replies. */
function policy(plan: (answered: Map<string, string>, req: LLMRequest) => LLMResponse): LLMBackend & { requests: LLMRequest[] } {
  const requests: LLMRequest[] = [];
  return {
    requests,
    async generate(req) {
      requests.push({ ...req, messages: req.messages.slice() });
      return plan(new Map(req.messages.filter((m) => m.role === 'tool').map((m) => [m.name ?? '', m.content])), req);
    },
  };
}
const call = (name: string, args: Record<string, unknown>, id = `c-${name}`) => ({ toolCalls: [{ id, name, arguments: args }] });

/** `transfer` fetches a quote (a counted side effect), then asks a human before it moves money. */
function bank(opts: { checkResumed?: boolean; rejectResult?: unknown; async?: boolean } = {}) {
  const seen: (ToolResumed | undefined)[] = [];
  const effects = { quotes: 0, transfers: 0 };
  const tools = new ToolRegistry().register({
    name: 'transfer',
    description: 'Move money.',
    parameters: { type: 'object', properties: { amount: { type: 'number' }, to: { type: 'string' } }, required: ['amount', 'to'] },
    execute: async ({ amount, to }, ctx) => {
      if (opts.async) await new Promise((ok) => setTimeout(ok, 5));
      seen.push(ctx.resumed);
      const quote = opts.checkResumed && ctx.resumed ? (ctx.resumed.data as { quote: number }).quote : (effects.quotes++, Number(amount) * 1.01);
      if (!ctx.resumed) return ctx.pause(`Send ${String(amount)} to ${String(to)}? It costs ${quote}.`, { quote });
      if (ctx.resumed.kind === 'reject') return opts.rejectResult;
      effects.transfers++;
      return { sent: Number(ctx.resumed.args?.amount ?? amount), to, quote };
    },
  });
  const llm = policy((answered) => (answered.has('transfer') ? call('done', { answer: `transfer: ${answered.get('transfer')}` }) : call('transfer', { amount: 100, to: 'bob' })));
  return { tools, llm, seen, effects };
}

describe('a tool that pauses itself', () => {
  it('pauses the run with its question as the reason and its data on the pending call', async () => {
    const { tools, llm } = bank();
    const { steps, outcome } = await collect(composableLoop({ llm, tools, task: 'Pay bob' }));
    expect(outcome.status).toBe('paused');
    expect(outcome.pending).toEqual([{ id: 'c-transfer', call: { id: 'c-transfer', name: 'transfer', args: { amount: 100, to: 'bob' } }, reason: 'Send 100 to bob? It costs 101.', data: { quote: 101 } }]);
    expect(steps.map((s) => [s.index, s.status, s.toolResult.error?.message])).toEqual([[1, 'paused', 'Send 100 to bob? It costs 101.']]);
    expect(llm.requests).toHaveLength(1); // the model was not asked again
  });

  it('approve: the tool runs again with ctx.resumed and its data; the model sees the result', async () => {
    const { tools, llm, seen, effects } = bank({ checkResumed: true });
    const first = await collect(composableLoop({ llm, tools, task: 'Pay bob' }));
    const next = await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions: { 'c-transfer': approve() } }));
    expect(next.outcome.status).toBe('done');
    expect(seen).toEqual([undefined, { kind: 'approve', data: { quote: 101 } }]);
    expect(effects).toEqual({ quotes: 1, transfers: 1 }); // it checked ctx.resumed: the quote was not fetched twice
    expect(next.steps[0]).toMatchObject({ index: 1, status: 'ok', toolResult: { data: { sent: 100, to: 'bob', quote: 101 } } });
    const told = llm.requests.at(-1)!.messages.filter((m) => m.role === 'tool');
    expect(told.map((m) => m.content)).toEqual(['{"sent":100,"to":"bob","quote":101}']);
  });

  it('side effects before the pause happen again when the tool does not check ctx.resumed', async () => {
    const { tools, llm, effects } = bank({ checkResumed: false });
    const first = await collect(composableLoop({ llm, tools, task: 'Pay bob' }));
    await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions: { 'c-transfer': approve() } }));
    expect(effects).toEqual({ quotes: 2, transfers: 1 });
  });

  it('reject: the tool hears why; with no result of its own the step is denied with the reason', async () => {
    const { tools, llm, seen } = bank();
    const first = await collect(composableLoop({ llm, tools, task: 'Pay bob' }));
    const next = await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions: { 'c-transfer': reject('not this month') } }));
    expect(seen[1]).toEqual({ kind: 'reject', reason: 'not this month', data: { quote: 101 } });
    expect(next.steps[0]).toMatchObject({ status: 'denied', toolResult: { error: { kind: 'denied', message: 'not this month' } } });
    expect(llm.requests.at(-1)!.messages.at(-1)!.content).toContain('not this month');
    expect(next.outcome.status).toBe('done');
  });

  it('reject: a tool may record its own result instead', async () => {
    const { tools, llm } = bank({ rejectResult: { cancelled: true } });
    const first = await collect(composableLoop({ llm, tools, task: 'Pay bob' }));
    const next = await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions: { 'c-transfer': reject('no') } }));
    expect(next.steps[0]).toMatchObject({ status: 'ok', toolResult: { data: { cancelled: true } } });
  });

  it('edit: new arguments are validated against the tool schema, then the tool runs with them', async () => {
    const { tools, llm, seen } = bank({ checkResumed: true });
    const first = await collect(composableLoop({ llm, tools, task: 'Pay bob' }));
    const bad = await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions: { 'c-transfer': edit({ amount: 'lots', to: 'bob' }) } }));
    expect(bad.steps[0]).toMatchObject({ status: 'error', toolResult: { error: { kind: 'invalid_args' } } });
    expect(seen).toHaveLength(1); // the tool did not run with arguments its schema refuses
    const good = await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions: { 'c-transfer': edit({ amount: 50, to: 'bob' }) } }));
    expect(seen.at(-1)).toEqual({ kind: 'edit', args: { amount: 50, to: 'bob' }, data: { quote: 101 } });
    expect(good.steps[0]).toMatchObject({ status: 'ok', toolCall: { args: { amount: 50, to: 'bob' } }, toolResult: { data: { sent: 50 } } });
  });

  it('a pause with an answer schema: edit(answer) is checked against it before anything runs, and the arguments stay', async () => {
    const asked: unknown[] = [];
    const tools = new ToolRegistry().register({
      name: 'book', description: 'Book a table.', parameters: { type: 'object', properties: { place: { type: 'string' } } },
      execute: ({ place }, ctx) => {
        if (!ctx.resumed) return ctx.pause('How many people?', { place }, { schema: { type: 'object', properties: { people: { type: 'integer', minimum: 1 } }, required: ['people'] } });
        asked.push(ctx.resumed);
        return `booked ${String(place)} for ${String(ctx.resumed.args?.people)}`;
      },
    });
    const llm = policy((answered) => (answered.has('book') ? call('done', { answer: answered.get('book') }) : call('book', { place: 'Chez Lu' })));
    const store = memoryStore();
    const first = await collect(composableLoop({ llm, tools, task: 'Book', runId: 'r-book', hooks: [new CheckpointHook({ store, runId: 'r-book' })] }));
    expect(first.outcome.pending![0]).toMatchObject({ reason: 'How many people?', data: { place: 'Chez Lu' }, schema: { required: ['people'] } });
    const saved = JSON.stringify(await store.get('r-book'));
    await expect(collect(resumeFrom(store, 'r-book', { llm, tools, decisions: { 'c-book': edit({ people: 0 }) } }))).rejects.toThrow(DecisionError);
    expect(JSON.stringify(await store.get('r-book'))).toBe(saved); // a refused answer changes nothing
    const next = await collect(resumeFrom(store, 'r-book', { llm, tools, decisions: { 'c-book': edit({ people: 4 }) } }));
    expect(asked).toEqual([{ kind: 'edit', args: { people: 4 }, data: { place: 'Chez Lu' } }]);
    expect(next.steps[0]).toMatchObject({ status: 'ok', toolCall: { args: { place: 'Chez Lu' } }, toolResult: { data: 'booked Chez Lu for 4' } });
    expect(next.outcome).toMatchObject({ status: 'done', answer: 'booked Chez Lu for 4' });
  });

  it('survives a checkpoint written as JSON and read in another process, async tools included', async () => {
    const { tools, llm, seen } = bank({ async: true, checkResumed: true });
    const store = memoryStore();
    await collect(composableLoop({ llm, tools, task: 'Pay bob', runId: 'r1', hooks: [new CheckpointHook({ store, runId: 'r1' })] }));
    const copy = memoryStore();
    await copy.put('r1', JSON.parse(JSON.stringify(await store.get('r1'))));
    const next = await collect(resumeFrom(copy, 'r1', { llm, tools, decisions: { 'c-transfer': approve() } }));
    expect(next.outcome.status).toBe('done');
    expect(seen.at(-1)).toEqual({ kind: 'approve', data: { quote: 101 } });
  });

  it('in parallel, the other calls of the reply run and are recorded once; the paused one waits for its answer', async () => {
    const ran: string[] = [];
    const tools = new ToolRegistry()
      .register({ name: 'ask', description: 'Ask.', parameters: { type: 'object' }, execute: (_a, ctx) => (ctx.resumed ? 'yes' : ctx.pause('May I?')) })
      .register({ name: 'note', description: 'Note.', parameters: { type: 'object' }, execute: () => { ran.push('note'); return 'noted'; } });
    const llm = policy((answered) => (answered.has('ask') ? call('done', { answer: answered.get('ask') }) : { toolCalls: [{ id: 'a', name: 'ask', arguments: {} }, { id: 'n', name: 'note', arguments: {} }] }));
    const first = await collect(composableLoop({ llm, tools, task: 'Go' }));
    expect(first.outcome.status).toBe('paused');
    expect(first.outcome.pending!.map((p) => p.id)).toEqual(['a']);
    expect(first.steps.map((s) => `${s.toolCall.name}:${s.status}`)).toEqual(['ask:paused', 'note:ok']);
    const next = await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions: { a: approve() } }));
    expect(ran).toEqual(['note']); // exactly once
    expect(next.outcome).toMatchObject({ status: 'done', answer: 'yes' });
    // every call the model made is answered once, in the request after the pause
    const tool = llm.requests.at(-1)!.messages.filter((m) => m.role === 'tool').map((m) => `${m.toolCallId}:${m.content}`);
    expect(tool.sort()).toEqual(['a:yes', 'n:noted']);
  });

  it('a pause without a question is a tool error, not a silent pause', async () => {
    const tools = new ToolRegistry().register({ name: 'ask', description: 'Ask.', parameters: { type: 'object' }, execute: (_a, ctx) => ctx.pause('') });
    const llm = policy((answered) => (answered.has('ask') ? call('done', { answer: 'x' }) : call('ask', {})));
    const { steps } = await collect(composableLoop({ llm, tools, task: 'Go' }));
    expect(steps[0]).toMatchObject({ status: 'error', toolResult: { error: { kind: 'tool_error', message: expect.stringContaining('non-empty string') } } });
  });

  it('with an approval secret the pending call is signed and the decision must carry it', async () => {
    const { tools, llm } = bank();
    const approvalSecret = 'a-long-secret-for-tests-only-0123456789';
    const first = await collect(composableLoop({ llm, tools, task: 'Pay bob', approvalSecret }));
    const p = first.outcome.pending![0]!;
    expect(p.signature).toMatch(/^[0-9a-f]{64}$/);
    await expect(collect(composableLoop({ llm, tools, approvalSecret, resume: first.outcome.checkpoint!, decisions: { 'c-transfer': approve() } }))).rejects.toThrow(DecisionError);
    const ok = await collect(composableLoop({ llm, tools, approvalSecret, resume: first.outcome.checkpoint!, decisions: { 'c-transfer': approve({ signature: p.signature! }) } }));
    expect(ok.outcome.status).toBe('done');
  });
});
