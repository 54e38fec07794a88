// refusalStatus: the HTTP status every refusal maps to, for servers that answer them.
import { describe, expect, it } from 'vitest';
import { approve, CheckpointError, CheckpointHook, collect, composableLoop, ConversationError, DecisionError, LoopletError, memoryStore, MockLLMBackend, refusalStatus, resumeFrom } from '../lib/index.ts';

describe('refusalStatus', () => {
  it('maps every code: conflicts 409, bad requests 400, unusable stored runs 422, anything else undefined', () => {
    expect(refusalStatus(new DecisionError('x', 'no_pending_call'))).toBe(409);
    expect(refusalStatus(new DecisionError('x', 'bad_signature'))).toBe(400);
    expect(refusalStatus(new DecisionError('x', 'invalid_decision'))).toBe(400);
    expect(refusalStatus(new CheckpointError('x', 'already_done'))).toBe(409);
    for (const code of ['not_a_checkpoint', 'version', 'corrupt', 'other_tools', 'tampered'] as const) expect(refusalStatus(new CheckpointError('x', code))).toBe(422);
    expect(refusalStatus(new ConversationError('x', 'busy'))).toBe(409);
    expect(refusalStatus(new ConversationError('x', 'nothing_to_resume'))).toBe(409);
    expect(refusalStatus(new ConversationError('x', 'empty_message'))).toBe(400);
    expect(refusalStatus(new ConversationError('x', 'corrupt'))).toBe(422);
    expect(refusalStatus(new LoopletError('a bad option'))).toBeUndefined();
    expect(refusalStatus(new Error('boom'))).toBeUndefined();
    expect(refusalStatus(undefined)).toBeUndefined();
  });

  it('a stale decision from a real resume is a 409, a forged one a 400', async () => {
    const store = memoryStore();
    const tools = [{ name: 'refund', description: 'Refund.', parameters: { type: 'object' }, needsApproval: true, execute: () => 'ok' }];
    const llm = () => new MockLLMBackend([{ toolCalls: [{ id: 'c1', name: 'refund', arguments: {} }] }, { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'ok' } }] }]);
    await collect(composableLoop({ llm: llm(), tools, task: 'Refund', runId: 'r', approvalSecret: 's', hooks: [new CheckpointHook({ store, runId: 'r' })] }));
    const refused = (decisions: Record<string, ReturnType<typeof approve>>) => collect(resumeFrom(store, 'r', { llm: llm(), tools, decisions, approvalSecret: 's' })).then(() => undefined, (err: unknown) => refusalStatus(err));
    expect(await refused({ nope: approve() })).toBe(409);
    expect(await refused({ c1: approve({ signature: '0'.repeat(64) }) })).toBe(400);
  });
});
