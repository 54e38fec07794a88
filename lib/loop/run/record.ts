// RECORD: in reply order, each settled call becomes a Step — a `done` call is checked
// (checkDone) and run first, then the postDispatch hooks see the result — is answered in the
// conversation, saved, yielded, and put to the shouldStop hooks. A paused call is yielded as a
// paused step and answered only once a human decides.
import type { BatchRecord, CallRecord } from '../../shapes.ts';
import { DONE } from '../../tools/done.ts';
import { resultText, skipText } from '../messages.ts';
import { Step } from '../step.ts';
import type { ToolResult } from '../types.ts';
import { behindPause, transition } from './call.ts';
import { runCall } from './execute.ts';
import type { Run } from './run.ts';
import { isOpen } from './state.ts';

export async function* record(run: Run): AsyncGenerator<Step, void, undefined> {
  const { state, hooks, events } = run;
  const batch = state.batch!;
  for (const call of batch.calls) {
    if (call.state === 'skipped') {
      if (!behindPause(call)) answer(run, call); // one behind a pause is answered once that is decided
      continue;
    }
    const isDone = call.name === DONE && call.state === 'approved';
    if (call.state !== 'finished' && call.state !== 'paused' && !isDone) continue;
    run.step = call.index;
    const toolCall = { id: call.id, name: call.name, args: call.args };
    if (isDone) await finishDone(run, call);
    const paused = call.state === 'paused';
    if (!paused) {
      const respond = (data: unknown) => (transition(call, { type: 'respond', data }), resultOf(call));
      const stop = await hooks.postDispatch(toolCall, resultOf(call), respond);
      if (stop !== undefined) batch.stop ??= stop;
    }
    const step = stepOf(run, batch, call);
    if (!paused) answer(run, call);
    if (events.on) {
      if (!paused) await events.emit({ type: 'tool.result', step: call.index, callId: call.id, name: call.name, ...resultOf(call) });
      await events.emit({ type: 'step', step: call.index, record: step.toJSON() });
    }
    const accepted = isDone && call.status === 'ok';
    if (!paused) await hooks.save(accepted ? 'done' : 'running', accepted ? { answer: call.args.answer } : undefined);
    yield step;
    if (accepted || paused) continue;
    const stop = await hooks.shouldStop(step);
    if (stop !== undefined) batch.stop ??= stop;
  }
}

/** `done`: the first checkDone rejection keeps the run going; otherwise the done tool runs. */
async function finishDone(run: Run, call: CallRecord): Promise<void> {
  const refusal = await run.hooks.checkDone({ id: call.id, name: call.name, args: call.args });
  if (refusal !== undefined) return transition(call, { type: 'deny', error: { kind: 'done_rejected', message: refusal, retriable: true } });
  transition(call, { type: 'start' });
  transition(call, { type: 'finish', ...(await runCall(run, call)) });
}

/** The call's Step. The reply's usage and model time go on its first step. */
function stepOf(run: Run, batch: BatchRecord, call: CallRecord): Step {
  const paused = call.state === 'paused';
  const first = !paused && !batch.calls.some((c) => c.state === 'recorded' && !c.hold);
  return new Step({
    index: call.index,
    status: paused ? 'paused' : call.status,
    toolCall: { id: call.id, name: call.name, args: deepFreeze(paused ? { ...call.args } : call.args) },
    toolResult: paused ? { error: { kind: 'denied', message: pauseReason(call), retriable: true }, durationMs: call.durationMs } : resultOf(call),
    ...(first && batch.usage ? { usage: batch.usage } : {}),
    timing: { llmMs: first ? batch.llmMs : 0, toolMs: call.durationMs },
  });
}

/**
 * Records the call and tells the model how it went: a tool message bound to its id, or — in
 * JSON-in-text mode, once every call of the reply is recorded — one user message with all results.
 */
function answer(run: Run, call: CallRecord): void {
  const { env, state } = run;
  transition(call, { type: 'record' });
  if (!call.hold) state.stepCount = Math.max(state.stepCount, call.index);
  const text = call.hold?.kind === 'skip' ? skipText(call.hold.reason, env.config.maxSteps) : resultText(call.data, call.error);
  if (!env.json) {
    state.messages.push({ role: 'tool', content: text, toolCallId: call.id, name: call.name });
    return;
  }
  const batch = state.batch!;
  if (isOpen(batch)) return;
  const results = batch.calls.filter((c) => !c.hold).map((c) => `Result of ${c.name} (${c.id}):\n${resultText(c.data, c.error)}`);
  if (results.length > 0) state.messages.push({ role: 'user', content: results.join('\n\n') });
}

/** A call that paused in this turn: a hook (or its tool's needsApproval) asked, and said why. */
const pauseReason = (call: CallRecord): string => (call.hold?.kind === 'pause' ? call.hold.reason : 'paused');

function resultOf(call: CallRecord): ToolResult {
  const r: { data?: unknown; error?: ToolResult['error']; durationMs: number } = { durationMs: call.durationMs };
  if (call.data !== undefined) r.data = call.data;
  if (call.error) r.error = call.error;
  return r;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
