import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../lib/stores/file.node.ts';
import {
  ApprovalHook, approve, CheckpointError, CheckpointHook, collect, composableLoop, edit, kvStore, LoopletError, memoryStore, PermissionHook,
  reject, resumeFrom, ToolRegistry, type Checkpoint, type Hook, type LLMBackend, type LLMRequest, type LLMResponse, type LoopEvent,
} from '../lib/index.ts';

/** A model that decides from the conversation alone, so a resumed run gets the same replies. */
function policy(plan: (req: LLMRequest, answered: Map<string, string>) => LLMResponse): LLMBackend & { requests: LLMRequest[] } {
  const requests: LLMRequest[] = [];
  return {
    requests,
    async generate(req) {
      requests.push({ ...req, messages: req.messages.slice() });
      const answered = new Map(req.messages.filter((m) => m.role === 'tool').map((m) => [m.name ?? '', m.content]));
      return plan(req, answered);
    },
  };
}

const call = (name: string, args: Record<string, unknown>, id: string) => ({ toolCalls: [{ id, name, arguments: args }] });

/** load → save → done, with counted side effects. */
function dataAgent() {
  const runs = { load: 0, save: 0 };
  const tools = new ToolRegistry()
    .register({ name: 'load', description: 'Load a file.', parameters: { type: 'object', properties: { file: { type: 'string' } }, required: ['file'] }, execute: ({ file }) => { runs.load++; return { rows: 3, file }; } })
    .register({ name: 'save', description: 'Save the result.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }, execute: ({ path }) => { runs.save++; return { saved: path }; } });
  const llm = policy((_req, answered) => {
    if (!answered.has('load')) return call('load', { file: 'in.csv' }, 'c-load');
    if (!answered.has('save')) return call('save', { path: 'out.csv' }, 'c-save');
    return call('done', { answer: `save said: ${answered.get('save')}` }, 'c-done');
  });
  return { tools, llm, runs };
}

describe('pause, approve, resume', () => {
  it('pauses before an approval tool, survives in a store, and finishes after approve(): the tool runs once and keeps its step index', async () => {
    const { tools, llm, runs } = dataAgent();
    const store = memoryStore();
    const hooks = [new ApprovalHook({ tools: ['save'] }), new CheckpointHook({ store, runId: 'run-1' })];
    const first = await collect(composableLoop({ llm, tools, task: 'Clean the data.', hooks }));
    expect(first.outcome).toMatchObject({ status: 'paused', runId: 'run-1', steps: 1, pending: [{ id: 'c-save', call: { name: 'save', args: { path: 'out.csv' } }, reason: 'save needs approval' }] });
    expect(first.steps.map((s) => s.pretty().replace(/ \[\d+ms\]$/, ''))).toEqual(["#1 ✓ load(file='in.csv') → 2 keys", "#2 ⏸ save(path='out.csv') → PAUSED: save needs approval"]);
    expect(runs.save).toBe(0);
    const saved = (await store.get('run-1'))!;
    expect(saved).toMatchObject({ v: 2, status: 'paused', runId: 'run-1', stepCount: 1 });
    expect(JSON.stringify(saved)).not.toMatch(/apiKey|authorization/i);

    // another process: same tools and hooks, a decision
    const second = await collect(resumeFrom(store, 'run-1', { llm, tools, hooks, decisions: { 'c-save': approve() } }));
    expect(second.steps.map((s) => `${s.index}:${s.toolCall.name}:${s.status}`)).toEqual(['2:save:ok', '3:done:ok']);
    expect(second.outcome).toMatchObject({ status: 'done', answer: 'save said: {"saved":"out.csv"}', steps: 3 });
    expect(runs).toEqual({ load: 1, save: 1 });
    expect((await store.get('run-1'))!.status).toBe('done');
    // the model saw the approved call's result bound to its id
    expect(llm.requests.at(-1)!.messages.at(-1)).toMatchObject({ role: 'tool', toolCallId: 'c-save', content: '{"saved":"out.csv"}' });
    // resuming a finished run is refused, not re-run
    await expect(collect(resumeFrom(store, 'run-1', { llm, tools, hooks }))).rejects.toThrow(/already ended done/);
  });

  it('reject(reason): a denied step, the model reads the reason, the tool never runs', async () => {
    const { tools, runs } = dataAgent();
    const llm = policy((_r, answered) => (!answered.has('load') ? call('load', { file: 'x' }, 'l') : !answered.has('save') ? call('save', { path: 'p' }, 's') : call('done', { answer: answered.get('save') }, 'd')));
    const hooks = [new ApprovalHook({ tools: ['save'] })];
    const paused = await collect(composableLoop({ llm, tools, task: 't', hooks }));
    const done = await collect(composableLoop({ llm, tools, hooks, resume: paused.outcome.checkpoint!, decisions: { s: reject('not on Fridays') } }));
    expect(done.steps[0]).toMatchObject({ index: 2, status: 'denied', toolResult: { error: { kind: 'denied', message: 'not on Fridays' } } });
    expect(done.outcome).toMatchObject({ status: 'done', answer: 'Denied: not on Fridays' });
    expect(runs.save).toBe(0);
  });

  it('edit(args): runs once with the new, validated arguments; an invalid edit never reaches the tool', async () => {
    const { tools, llm, runs } = dataAgent();
    const hooks = [new ApprovalHook({ tools: ['save'] })];
    const paused = await collect(composableLoop({ llm, tools, task: 't', hooks }));
    const bad = await collect(composableLoop({ llm, tools, hooks, resume: paused.outcome.checkpoint!, decisions: { 'c-save': edit({ path: 5 }) } }));
    expect(bad.steps[0]).toMatchObject({ status: 'error', toolResult: { error: { kind: 'invalid_args' } } });
    expect(runs.save).toBe(0);
    const good = await collect(composableLoop({ llm, tools, hooks, resume: paused.outcome.checkpoint!, decisions: { 'c-save': edit({ path: 'fixed.csv' }) } }));
    expect(good.steps[0]).toMatchObject({ index: 2, status: 'ok', toolCall: { args: { path: 'fixed.csv' } }, toolResult: { data: { saved: 'fixed.csv' } } });
    expect(runs.save).toBe(1);
  });

  it('without a decision the run pauses again at once, without asking the model', async () => {
    const { tools, llm } = dataAgent();
    const hooks = [new ApprovalHook({ tools: ['save'] })];
    const paused = await collect(composableLoop({ llm, tools, task: 't', hooks }));
    const asked = llm.requests.length;
    const again = await collect(composableLoop({ llm, tools, hooks, resume: paused.outcome.checkpoint! }));
    expect(again.outcome).toMatchObject({ status: 'paused', pending: [{ id: 'c-save' }] });
    expect(again.steps).toHaveLength(0);
    expect(llm.requests.length).toBe(asked);
  });

  it('refuses a decision for no pending call, another tool set, and corrupt or unknown checkpoints', async () => {
    const { tools, llm } = dataAgent();
    const hooks = [new ApprovalHook({ tools: ['save'] })];
    const cp = (await collect(composableLoop({ llm, tools, task: 't', hooks }))).outcome.checkpoint!;
    await expect(collect(composableLoop({ llm, tools, hooks, resume: cp, decisions: { nope: approve() } }))).rejects.toThrow(/matches no pending call.*pending: c-save/);
    const other = new ToolRegistry().register({ name: 'load', description: 'changed', parameters: { type: 'object' }, execute: () => 1 });
    await expect(collect(composableLoop({ llm, tools: other, hooks, resume: cp }))).rejects.toThrow(/another tool set/);
    await expect(collect(composableLoop({ llm, tools, resume: { ...cp, v: 99 } as Checkpoint }))).rejects.toThrow(CheckpointError);
    await expect(collect(composableLoop({ llm, tools, resume: { ...cp, messages: 'x' } as unknown as Checkpoint }))).rejects.toThrow(/corrupt: "messages"/);
    await expect(collect(composableLoop({ llm, tools, resume: '{oops' as unknown as Checkpoint }))).rejects.toThrow(/not valid JSON/);
    const kv = new Map<string, string>([['looplet:r', '{broken']]);
    const store = kvStore({ get: async (k) => kv.get(k), put: async (k, v) => void kv.set(k, v), list: async (p) => [...kv.keys()].filter((k) => k.startsWith(p)), delete: async (k) => void kv.delete(k) });
    await expect(collect(resumeFrom(store, 'r', { llm, tools }))).rejects.toThrow(CheckpointError);
    await expect(collect(resumeFrom(store, 'missing', { llm, tools }))).rejects.toThrow(/No checkpoint for run missing/);
  });

  it('several pending calls of one reply each get their own decision; hooks are not asked about decided calls', async () => {
    let asked = 0;
    const runs: string[] = [];
    const tools = new ToolRegistry().register({ name: 'send', description: 'Send.', parameters: { type: 'object', properties: { to: { type: 'string' } } }, execute: ({ to }) => { runs.push(String(to)); return 'sent'; } });
    const llm = policy((_r, answered) => (answered.size === 0 ? { toolCalls: [{ id: 'a', name: 'send', arguments: { to: 'ann' } }, { id: 'b', name: 'send', arguments: { to: 'bob' } }] } : call('done', { answer: 'ok' }, 'd')));
    const counting: Hook = { preDispatch: () => void asked++ };
    const hooks = [counting, new ApprovalHook({ tools: ['send'] })];
    const paused = await collect(composableLoop({ llm, tools, task: 't', hooks }));
    expect(paused.outcome.pending!.map((p) => p.id)).toEqual(['a', 'b']);
    expect(asked).toBe(1);
    const done = await collect(composableLoop({ llm, tools, hooks, resume: paused.outcome.checkpoint!, decisions: { a: approve(), b: reject('no') } }));
    expect(asked).toBe(1);
    expect(runs).toEqual(['ann']);
    expect(done.steps.map((s) => `${s.index}:${s.status}`)).toEqual(['1:ok', '2:denied', '3:ok']);
  });

  it('a call left running by a crash comes back paused (it may have run), never silently run twice', async () => {
    const { tools, llm, runs } = dataAgent();
    const saves: Checkpoint[] = [];
    const rec: Hook = { onCheckpoint: (cp) => void saves.push(JSON.parse(JSON.stringify(cp)) as Checkpoint) };
    await collect(composableLoop({ llm, tools, task: 't', hooks: [rec] }));
    const running = saves.find((c) => c.batch?.calls.some((x) => x.state === 'running' && x.name === 'save'))!;
    expect(running).toBeDefined();
    const before = runs.save;
    const r = await collect(composableLoop({ llm, tools, resume: running }));
    expect(r.outcome).toMatchObject({ status: 'paused', pending: [{ id: 'c-save', reason: expect.stringMatching(/may or may not have run/) }] });
    expect(runs.save).toBe(before);
    const r2 = await collect(composableLoop({ llm, tools, resume: r.outcome.checkpoint!, decisions: { 'c-save': approve() } }));
    expect(r2.outcome.status).toBe('done');
    expect(runs.save).toBe(before + 1);
  });

  it('ctx.checkpoint() gives hooks the run as it is now', async () => {
    const { tools, llm } = dataAgent();
    const seen: number[] = [];
    await collect(composableLoop({ llm, tools, task: 't', hooks: [{ shouldStop: (ctx) => void seen.push(ctx.checkpoint().stepCount) }] }));
    expect(seen).toEqual([1, 2]);
  });
});

describe('crash safety: killed at every event, resumed from the last checkpoint', () => {
  async function uninterrupted() {
    const { tools, llm, runs } = dataAgent();
    const events: LoopEvent[] = [];
    const { outcome } = await collect(composableLoop({ llm, tools, task: 't', hooks: [{ onEvent: (e) => void events.push(e) }] }));
    return { outcome, runs, count: events.length };
  }

  it.each([
    ['memoryStore', async () => memoryStore()],
    ['fileStore', async () => fileStore(await mkdtemp(join(tmpdir(), 'looplet-kill-')))],
  ])('ends with the same answer, each side-effecting tool run exactly once (%s)', async (_name, makeStore) => {
    const base = await uninterrupted();
    expect(base.runs).toEqual({ load: 1, save: 1 });
    for (let k = 1; k <= base.count; k++) {
      const { tools, llm, runs } = dataAgent();
      const store = await makeStore();
      let seen = 0;
      let lastGood: Checkpoint | undefined;
      let dead = false;
      // the store as a crash leaves it: only what was saved before the kill
      const saver: Hook = { onCheckpoint: async (cp) => { if (!dead) { lastGood = JSON.parse(JSON.stringify(cp)) as Checkpoint; await store.put(cp.runId, lastGood); } } };
      const killer: Hook = { onEvent: () => { if (++seen === k) { dead = true; throw new Error(`killed at event ${k}`); } } };
      await expect(collect(composableLoop({ llm, tools, task: 't', runId: `r${k}`, hooks: [saver, killer], config: { hookErrors: 'throw' } }))).rejects.toThrow(`killed at event ${k}`);
      let outcome;
      if (lastGood?.status === 'done') {
        outcome = { status: lastGood.status, answer: lastGood.answer }; // it finished before it died
      } else if (!lastGood) {
        outcome = (await collect(composableLoop({ llm, tools, task: 't' }))).outcome; // died before the first save: start again
      } else {
        outcome = (await collect(resumeFrom(store, `r${k}`, { llm, tools }))).outcome;
      }
      expect({ k, answer: outcome.answer, status: outcome.status }).toEqual({ k, answer: base.outcome.answer, status: 'done' });
      expect({ k, ...runs }).toEqual({ k, load: 1, save: 1 });
    }
  });

  it('a caller that stops iterating after any step resumes from the store', async () => {
    for (let stopAt = 1; stopAt <= 2; stopAt++) {
      const { tools, llm, runs } = dataAgent();
      const store = memoryStore();
      const hooks = [new CheckpointHook({ store, runId: 'x' })];
      for await (const s of composableLoop({ llm, tools, task: 't', hooks })) if (s.index === stopAt) break;
      expect((await store.get('x'))!.status).toBe('stopped');
      const { outcome } = await collect(resumeFrom(store, 'x', { llm, tools, hooks }));
      expect(outcome).toMatchObject({ status: 'done', steps: 3 });
      expect(runs).toEqual({ load: 1, save: 1 });
    }
  });
});

describe('PermissionHook', () => {
  const tools = () => {
    const ran: string[] = [];
    const reg = new ToolRegistry().register({ name: 'bash', description: 'Run.', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, execute: ({ cmd }) => { ran.push(String(cmd)); return 'ok'; } });
    return { reg, ran };
  };
  const script = (...cmds: string[]) => policy((_r, answered) => {
    const n = _r.messages.filter((m) => m.role === 'tool').length;
    void answered;
    return n < cmds.length ? call('bash', { cmd: cmds[n] }, `c${n}`) : call('done', { answer: _r.messages.filter((m) => m.role === 'tool').map((m) => m.content).join('|') }, 'd');
  });

  it('checks rules in order; the first match decides; a RegExp tests, a literal equals; denials are denied steps', async () => {
    const { reg, ran } = tools();
    const hook = new PermissionHook({
      rules: [
        { tool: 'bash', args: { cmd: /^rm / }, action: 'deny', reason: 'no deleting' },
        { tool: 'bash', args: { cmd: 'ls' }, action: 'allow' },
        { tool: 'bash', action: 'deny' },
      ],
    });
    const { steps, outcome } = await collect(composableLoop({ llm: script('rm -rf /', 'ls', 'cat x'), tools: reg, task: 't', hooks: [hook] }));
    expect(ran).toEqual(['ls']);
    expect(steps.map((s) => s.status)).toEqual(['denied', 'ok', 'denied', 'ok']);
    expect(steps[0]!.toolResult.error!.message).toBe('bash is not permitted: no deleting.');
    expect(outcome.answer).toMatch(/^Denied: bash is not permitted: no deleting\.\|ok\|Denied: bash is not permitted/);
  });

  it('ask pauses like approval, and the default applies when no rule matches', async () => {
    const { reg, ran } = tools();
    const hook = new PermissionHook({ rules: [{ tool: /^ba/, args: { cmd: /deploy/ }, action: 'ask' }], default: 'allow' });
    const r = await collect(composableLoop({ llm: script('echo hi', 'deploy prod'), tools: reg, task: 't', hooks: [hook] }));
    expect(ran).toEqual(['echo hi']);
    expect(r.outcome).toMatchObject({ status: 'paused', pending: [{ call: { args: { cmd: 'deploy prod' } }, reason: expect.stringMatching(/needs approval/) }] });
    const closed = new PermissionHook({ rules: [], default: 'deny' });
    const r2 = await collect(composableLoop({ llm: script('echo hi'), tools: tools().reg, task: 't', hooks: [closed] }));
    expect(r2.steps[0]!.status).toBe('denied');
  });

  it('ApprovalHook also pauses before tools whose spec says needsApproval', async () => {
    const reg = new ToolRegistry().register({ name: 'pay', description: 'Pay.', parameters: { type: 'object' }, needsApproval: true, execute: () => 'paid' });
    const r = await collect(composableLoop({ llm: policy(() => call('pay', {}, 'p')), tools: reg, task: 't', hooks: [new ApprovalHook()] }));
    expect(r.outcome).toMatchObject({ status: 'paused', pending: [{ id: 'p', reason: 'pay needs approval' }] });
  });
});

describe('a paused run and maxSteps', () => {
  it('resumes a max_steps run with a larger budget', async () => {
    const { tools, llm, runs } = dataAgent();
    const r1 = await collect(composableLoop({ llm, tools, task: 't', config: { maxSteps: 1 } }));
    expect(r1.outcome.status).toBe('max_steps');
    await expect(collect(composableLoop({ llm, tools, resume: r1.outcome.checkpoint!, config: { maxSteps: 5 } }))).resolves.toMatchObject({ outcome: { status: 'done' } });
    expect(runs).toEqual({ load: 1, save: 1 });
    expect(LoopletError).toBeDefined();
  });
});

describe('signed approvals (approvalSecret)', () => {
  it('pending calls carry an HMAC; only a decision with the right signature runs the tool', async () => {
    const { tools, llm, runs } = dataAgent();
    const hooks = [new ApprovalHook({ tools: ['save'] })];
    const secret = 'server-side-secret';
    const paused = await collect(composableLoop({ llm, tools, task: 't', hooks, approvalSecret: secret, runId: 'signed-1' }));
    const pending = paused.outcome.pending![0]!;
    expect(pending.signature).toMatch(/^[0-9a-f]{64}$/);
    const cp = paused.outcome.checkpoint!;
    expect(JSON.stringify(cp)).not.toContain(secret);
    const resume = (decision: ReturnType<typeof approve>) => collect(composableLoop({ llm, tools, hooks, approvalSecret: secret, resume: cp, decisions: { 'c-save': decision } }));

    await expect(resume(approve())).rejects.toThrow(/signature does not match/);
    await expect(resume(approve({ signature: '0'.repeat(64) }))).rejects.toThrow(/signature does not match/);
    // a signature for the same call id in another run does not transfer
    const other = await collect(composableLoop({ llm: dataAgent().llm, tools, task: 't', hooks, approvalSecret: secret, runId: 'signed-2' }));
    await expect(resume(approve({ signature: other.outcome.pending![0]!.signature! }))).rejects.toThrow(/signature does not match/);
    expect(runs.save).toBe(0);

    const ok = await resume(approve({ signature: pending.signature! }));
    expect(ok.outcome.status).toBe('done');
    expect(runs.save).toBe(1);
  });
});
