// A call's progress is one state machine (lib/loop/run/call.ts): these are its rules, and what
// a checkpoint may say about a call.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CheckpointError, collect, composableLoop, ApprovalHook, type CallRecord, type Checkpoint } from '../lib/index.ts';
import { readCheckpoint } from '../lib/loop/read-checkpoint.ts';
import { newCall, transition, type CallEvent } from '../lib/loop/run/call.ts';
import { call, makeTools, reply } from './helpers.ts';
import { MockLLMBackend } from '../lib/index.ts';

const error = { kind: 'denied', message: 'no', retriable: false } as const;
const at = (state: CallRecord['state'], extra: Partial<CallRecord> = {}): CallRecord => ({ ...newCall('c1', 'greet', { name: 'x' }), state, ...extra });

describe('the call state machine', () => {
  it('walks a call from planned to recorded', () => {
    const c = newCall('c1', 'greet', '{"name":"Ann"}');
    expect(c.state).toBe('planned');
    for (const [event, state] of [[{ type: 'allow' }, 'approved'], [{ type: 'start' }, 'running'], [{ type: 'finish', data: 1, durationMs: 2 }, 'finished'], [{ type: 'record' }, 'recorded']] as const) {
      transition(c, event);
      expect(c.state).toBe(state);
    }
    expect(c).toMatchObject({ status: 'ok', data: 1, durationMs: 2 });
  });

  it.each<[CallRecord['state'], CallEvent]>([
    ['planned', { type: 'start' }],
    ['planned', { type: 'record' }],
    ['approved', { type: 'pause', reason: 'late' }],
    ['running', { type: 'allow' }],
    ['running', { type: 'record' }],
    ['finished', { type: 'start' }],
    ['recorded', { type: 'respond', data: 1 }],
    ['recorded', { type: 'skip', reason: 'budget' }],
    ['paused', { type: 'start' }],
    ['paused', { type: 'record' }],
  ])('refuses an impossible change: %s + %o', (state, event) => {
    const c = at(state);
    expect(() => transition(c, event)).toThrow(/cannot take/);
    expect(c.state).toBe(state);
  });

  it('lets a call skipped behind a pause be decided or looked at again, and answers it only then', () => {
    const waiting = () => at('skipped', { hold: { kind: 'skip', reason: 'paused' } });
    expect(() => transition(waiting(), { type: 'record' })).toThrow(/cannot take/);
    const a = waiting(); transition(a, { type: 'allow' }); expect(a).toMatchObject({ state: 'approved' }); expect(a.hold).toBeUndefined();
    const r = waiting(); transition(r, { type: 'deny', error }); expect(r).toMatchObject({ state: 'finished', status: 'denied', error });
    const o = waiting(); transition(o, { type: 'reopen' }); expect(o.state).toBe('planned');
  });

  it('does not reopen a call skipped for any other reason', () => {
    for (const reason of ['budget', 'after_done', 'stopped', 'one_at_a_time'] as const) {
      const c = at('skipped', { hold: { kind: 'skip', reason } });
      expect(() => transition(c, { type: 'allow' })).toThrow(/cannot take/);
      transition(c, { type: 'record' });
      expect(c).toMatchObject({ state: 'recorded', hold: { kind: 'skip', reason } }); // it still says why it did not run
    }
  });

  it('a replaced result clears an error and keeps a denial', () => {
    const failed = at('finished', { status: 'error', error: { kind: 'tool_error', message: 'x', retriable: false } });
    transition(failed, { type: 'respond', data: 'fixed' });
    expect(failed).toMatchObject({ status: 'ok', data: 'fixed' });
    expect(failed.error).toBeUndefined();
    const denied = at('finished', { status: 'denied', error });
    transition(denied, { type: 'respond', data: 'note' });
    expect(denied).toMatchObject({ status: 'denied', error, data: 'note' });
  });

  it('is the only code that changes a call state in lib/', () => {
    const lib = new URL('../lib/', import.meta.url);
    const offenders = readdirSync(lib, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && f !== 'loop/run/call.ts')
      .filter((f) => /\.(state|hold)\s*=[^=]|delete \w+\.hold/.test(readFileSync(new URL(f, lib), 'utf8').replace(/state\.(messages|notes|batch|stepCount|callSeq|noCallTurns|usage|userState)/g, '')));
    expect(offenders).toEqual([]);
  });
});

describe('checkpoints say what state each call is in', () => {
  async function paused(): Promise<Checkpoint> {
    const llm = new MockLLMBackend([reply(call('greet', { name: 'Ann' }, 'a'), call('add', { a: 1, b: 2 }, 'b'))]);
    const { outcome } = await collect(composableLoop({ llm, tools: makeTools().tools, task: 't', hooks: [new ApprovalHook({ tools: ['greet'] })] }));
    return JSON.parse(JSON.stringify(outcome.checkpoint)) as Checkpoint;
  }

  it('as version 2: a paused call and one waiting behind it, their reasons as data, no model text', async () => {
    const cp = await paused();
    expect(cp.v).toBe(2);
    expect(cp.batch!.calls.map((c) => [c.id, c.state, c.hold])).toEqual([
      ['a', 'paused', { kind: 'pause', reason: 'greet needs approval' }],
      ['b', 'skipped', { kind: 'skip', reason: 'paused' }],
    ]);
    expect(JSON.stringify(cp.batch)).not.toMatch(/Not run/);
  });

  it('refuses a call in a state that does not exist, or a held call without its reason', async () => {
    const cp = await paused();
    const withCall = (patch: Record<string, unknown>) => ({ ...cp, batch: { ...cp.batch!, calls: [{ ...cp.batch!.calls[0]!, ...patch }, cp.batch!.calls[1]!] } });
    expect(() => readCheckpoint(withCall({ state: 'teleported' }))).toThrow(CheckpointError);
    expect(() => readCheckpoint(withCall({ hold: undefined }))).toThrow(/corrupt: "batch"/);
    expect(() => readCheckpoint(withCall({ hold: { kind: 'skip', reason: 'whim' }, state: 'skipped' }))).toThrow(/corrupt: "batch"/);
    expect(() => readCheckpoint({ ...cp, notes: undefined })).toThrow(/corrupt: "notes"/);
    expect(readCheckpoint(cp).runId).toBe(cp.runId);
  });

  it('a version 1 checkpoint with a phase that version never wrote is corrupt, not a silent restart', () => {
    const dir = new URL('./fixtures/checkpoints-v1/', import.meta.url);
    const { checkpoint } = JSON.parse(readFileSync(new URL('paused-two.json', dir), 'utf8')) as { checkpoint: Record<string, unknown> & { batch: { calls: Record<string, unknown>[] } } };
    const broken = { ...checkpoint, batch: { ...checkpoint.batch, calls: [{ ...checkpoint.batch.calls[0], phase: 'constructor' }] } };
    expect(() => readCheckpoint(broken)).toThrow(/unknown phase "constructor"/);
    const reworded = { ...checkpoint, batch: { ...checkpoint.batch, calls: [checkpoint.batch.calls[0], { ...checkpoint.batch.calls[1], note: 'Not run: who knows.' }] } };
    expect(() => readCheckpoint(reworded)).toThrow(CheckpointError);
  });
});
