// Subagents: agentTool runs a nested loop — its own run, linked to its parent's trace,
// usage, abort, pauses and checkpoints, exactly once across a crash.
import { describe, expect, it } from 'vitest';
import {
  agentTool, approve, collect, composableLoop, edit, memoryStore, CheckpointHook, reject, resumeFrom, toJSONL, parseJSONL, ToolRegistry,
  type Checkpoint, type Hook, type LLMBackend, type LLMRequest, type LLMResponse, type LoopEvent,
} from '../lib/index.ts';

const call = (name: string, args: Record<string, unknown>, id: string): LLMResponse => ({ toolCalls: [{ id, name, arguments: args }], usage: { inputTokens: 100, outputTokens: 10, totalTokens: 110 } });

/** A model that decides from what it was told (the same replies after a resume). */
function policy(plan: (told: Map<string, string>, req: LLMRequest) => LLMResponse): LLMBackend {
  return { async generate(req) { return plan(new Map(req.messages.filter((m) => m.role === 'tool').map((m) => [m.name ?? '', m.content])), req); } };
}

/** researcher (a subagent): search, then answer with what it found. `search` can need approval; runs are counted. */
function researcher(opts: { approve?: boolean; runs?: { search: number }; fail?: boolean } = {}) {
  const runs = opts.runs ?? { search: 0 };
  const tools = new ToolRegistry().register({
    name: 'search', description: 'Search the web.', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
    ...(opts.approve ? { needsApproval: true } : {}),
    execute: ({ q }) => { runs.search++; if (opts.fail) throw new Error('search is down'); return `results for ${String(q)}`; },
  });
  const llm = policy((told, req) => {
    const q = String(req.messages[0]!.content).replace(/^Research: /, '');
    return told.has('search') ? call('done', { answer: `${q}: ${told.get('search')}` }, 'r-done') : call('search', { q }, 'r-search');
  });
  return { runs, tool: agentTool({
    name: 'research', description: 'Research a topic and report.', parameters: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
    task: ({ topic }) => `Research: ${String(topic)}`, llm, tools, config: { maxSteps: 4 },
  }) };
}

/** The parent: delegates, then answers with the report. */
const parentModel = () => policy((told) => (told.has('research') ? call('done', { answer: `report: ${told.get('research')}` }, 'p-done') : call('research', { topic: 'otters' }, 'p-research')));

describe('agentTool', () => {
  it("returns the subagent's answer; its events reach the parent's listeners, linked; its usage is counted apart", async () => {
    const { tool } = researcher();
    const events: LoopEvent[] = [];
    const { steps, outcome } = await collect(composableLoop({ llm: parentModel(), tools: [tool], task: 'Report on otters', runId: 'parent', hooks: [{ onEvent: (e) => void events.push(e) }] }));
    expect(steps.map((s) => [s.toolCall.name, s.status])).toEqual([['research', 'ok'], ['done', 'ok']]);
    expect(steps[0]!.toolResult.data).toBe('otters: results for otters'); // the answer itself, not wrapped
    expect(outcome.answer).toBe('report: otters: results for otters');
    const nested = events.filter((e) => e.runId !== 'parent');
    expect(new Set(nested.map((e) => e.runId))).toEqual(new Set(['parent.p-research']));
    expect(nested.every((e) => e.parentRunId === 'parent' && e.parentCallId === 'p-research')).toBe(true);
    expect(nested.map((e) => e.type)).toEqual(expect.arrayContaining(['run.start', 'prompt', 'llm.response', 'step', 'run.end']));
    // one JSONL file holds the whole tree, and reads back
    expect(parseJSONL(toJSONL(events)).length).toBe(events.length);
    // the parent's total includes the subagent's two model calls, and says which part was theirs
    expect(outcome.usage.inputTokens).toBe(2 * 100 + 2 * 100);
    expect(outcome.usage.subagents).toMatchObject({ inputTokens: 200, outputTokens: 20, totalTokens: 220 });
  });

  it('a subagent that fails, or runs out of steps, is a tool error the parent model reads', async () => {
    const { tool } = researcher({ fail: true });
    let n = 0;
    const stubborn = agentTool({
      name: 'loop', description: 'Never done.', parameters: { type: 'object' }, task: () => 'Go', config: { maxSteps: 2 },
      llm: policy(() => call('search', { q: 'x' }, `s${++n}`)), tools: [{ name: 'search', description: 'Search.', parameters: { type: 'object' }, execute: () => 'x' }],
    });
    const llm = policy((told) => (told.has('loop') ? call('done', { answer: told.get('loop') }, 'd') : told.has('research') ? call('loop', {}, 'l') : call('research', { topic: 't' }, 'r')));
    const { steps } = await collect(composableLoop({ llm, tools: [tool, stubborn], task: 'Try' }));
    expect(steps[0]).toMatchObject({ status: 'ok', toolResult: { data: expect.stringContaining('search is down') } }); // the subagent read its tool error and answered
    expect(steps[1]).toMatchObject({ status: 'error', toolResult: { error: { kind: 'tool_error', message: 'Subagent loop ended max_steps: max_steps' } } });
  });

  it("the parent's abort aborts the subagent", async () => {
    const ac = new AbortController();
    let nestedSignal: AbortSignal | undefined;
    const slow = agentTool({
      name: 'slow', description: 'Slow.', parameters: { type: 'object' }, task: () => 'Wait',
      llm: { generate: (_r, { signal }) => { nestedSignal = signal; return new Promise((_ok, fail) => signal.addEventListener('abort', () => fail(signal.reason))); } },
      tools: [],
    });
    setTimeout(() => ac.abort(), 50);
    const { outcome } = await collect(composableLoop({ llm: policy(() => call('slow', {}, 's')), tools: [slow], task: 'Go', signal: ac.signal }));
    expect(outcome.status).toBe('aborted');
    expect(nestedSignal?.aborted).toBe(true);
  });

  it('a pause inside the subagent pauses the parent, says which nested call waits and why; the decision reaches it', async () => {
    for (const [decision, expected] of [
      [approve(), 'report: otters: results for otters'],
      [reject('not that'), 'report: otters: '],
      [edit({ q: 'sea otters' }), 'report: otters: results for sea otters'],
    ] as const) {
      const { tool, runs } = researcher({ approve: true });
      const store = memoryStore();
      const hooks = [new CheckpointHook({ store, runId: 'p' })];
      const first = await collect(composableLoop({ llm: parentModel(), tools: [tool], task: 'Report', runId: 'p', hooks }));
      expect(first.outcome.status).toBe('paused');
      const pending = first.outcome.pending![0]!;
      expect(pending).toMatchObject({ id: 'p-research', reason: 'research: search — search needs approval', data: { subagent: { name: 'research', runId: 'p.p-research', pending: [{ id: 'r-search', call: { name: 'search', args: { q: 'otters' } } }] } } });
      expect(runs.search).toBe(0);
      // "a reload": the parent's checkpoint (holding the subagent's) as JSON
      const reloaded = memoryStore();
      await reloaded.put('p', JSON.parse(JSON.stringify(await store.get('p'))) as Checkpoint);
      const next = await collect(resumeFrom(reloaded, 'p', { llm: parentModel(), tools: [tool], hooks: [new CheckpointHook({ store: reloaded, runId: 'p' })], decisions: { 'p-research': decision } }));
      expect(next.outcome.status).toBe('done');
      expect(String(next.outcome.answer).startsWith(expected)).toBe(true);
      expect(runs.search).toBe(decision.kind === 'reject' ? 0 : 1);
    }
  });

  it('nests two levels deep: a pause at the bottom pauses the top, and the answer comes back up', async () => {
    const { tool: inner, runs } = researcher({ approve: true });
    const middle = agentTool({
      name: 'editor', description: 'Get research, edit it.', parameters: { type: 'object', properties: { topic: { type: 'string' } } },
      task: ({ topic }) => `Edit a report on ${String(topic)}`, tools: [inner],
      llm: policy((told) => (told.has('research') ? call('done', { answer: `edited(${told.get('research')})` }, 'e-done') : call('research', { topic: 'otters' }, 'e-research'))),
    });
    const top = policy((told) => (told.has('editor') ? call('done', { answer: told.get('editor') }, 't-done') : call('editor', { topic: 'otters' }, 't-editor')));
    const events: LoopEvent[] = [];
    const first = await collect(composableLoop({ llm: top, tools: [middle], task: 'Publish', runId: 'top', hooks: [{ onEvent: (e) => void events.push(e) }] }));
    expect(first.outcome.pending![0]!.reason).toBe('editor: research — research: search — search needs approval');
    const next = await collect(composableLoop({ llm: top, tools: [middle], resume: first.outcome.checkpoint!, decisions: { 't-editor': approve() }, hooks: [{ onEvent: (e) => void events.push(e) }] }));
    expect(next.outcome.answer).toBe('edited(otters: results for otters)');
    expect(runs.search).toBe(1);
    const ids = new Set(events.map((e) => `${e.runId}<${e.parentRunId ?? ''}`));
    expect(ids).toEqual(new Set(['top<', 'top.t-editor<top', 'top.t-editor.e-research<top.t-editor']));
  });

  it('exactly once under a crash at every event of the nested run (and the parent): resumed from the last checkpoint', async () => {
    const count = async () => {
      const { tool } = researcher({ runs: { search: 0 } });
      const events: LoopEvent[] = [];
      await collect(composableLoop({ llm: parentModel(), tools: [tool], task: 'R', hooks: [{ onEvent: (e) => void events.push(e) }] }));
      return events.length;
    };
    const total = await count();
    expect(total).toBeGreaterThan(20);
    for (let k = 1; k <= total; k++) {
      const runs = { search: 0 };
      const { tool } = researcher({ runs });
      const store = memoryStore();
      let seen = 0;
      let dead = false;
      let lastGood: Checkpoint | undefined;
      const saver: Hook = { onCheckpoint: async (cp) => { if (!dead) { lastGood = JSON.parse(JSON.stringify(cp)) as Checkpoint; await store.put(cp.runId, lastGood); } } };
      const killer: Hook = { onEvent: () => { if (dead || ++seen === k) { dead = true; throw new Error(`killed at event ${k}`); } } };
      await expect(collect(composableLoop({ llm: parentModel(), tools: [tool], task: 'R', runId: `r${k}`, hooks: [saver, killer], config: { hookErrors: 'throw' } }))).rejects.toThrow(`killed at event ${k}`);
      let outcome;
      if (lastGood?.status === 'done') outcome = { status: 'done', answer: lastGood.answer };
      else if (!lastGood) outcome = (await collect(composableLoop({ llm: parentModel(), tools: [tool], task: 'R' }))).outcome;
      else outcome = (await collect(resumeFrom(store, `r${k}`, { llm: parentModel(), tools: [tool] }))).outcome;
      expect({ k, status: outcome.status, answer: outcome.answer }).toEqual({ k, status: 'done', answer: 'report: otters: results for otters' });
      expect({ k, searches: runs.search }).toEqual({ k, searches: 1 });
    }
  });
});
