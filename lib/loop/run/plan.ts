// PLAN: decide each call of the reply, in reply order. A call is skipped (after `done`, a stop
// or a pause in the same reply; over budget; one call per reply), failed (bad JSON, unknown
// tool, invalid arguments), or put to the preDispatch hooks; those that become steps get their
// index here. Calls a human already decided keep that decision: the hooks are not asked again.
import type { CallRecord, SkipReason } from '../../shapes.ts';
import { DONE } from '../../tools/done.ts';
import type { RegisteredTool } from '../../tools/types.ts';
import { parseArgs, validateArgs } from '../calls.ts';
import { transition } from './call.ts';
import type { Run } from './run.ts';

export async function plan(run: Run): Promise<void> {
  const { env, state, events } = run;
  const batch = state.batch!;
  const { maxSteps, parallelToolCalls } = env.config;
  let skip: SkipReason | undefined = batch.stop !== undefined ? 'stopped' : undefined;
  let planned = batch.calls.filter((c) => c.index > 0 && c.state !== 'recorded').length;
  for (const call of batch.calls) {
    const decided = call.index === 0 && (call.state === 'approved' || call.state === 'finished');
    if (call.state !== 'planned' && !decided) continue;
    const reason = skip ?? (!parallelToolCalls && planned > 0 ? 'one_at_a_time' : state.stepCount + planned >= maxSteps ? 'budget' : undefined);
    if (reason) {
      transition(call, { type: 'skip', reason });
      continue;
    }
    if (call.index === 0) call.index = state.stepCount + ++planned;
    run.step = call.index;
    if (events.on) await events.emit({ type: 'tool.call', step: call.index, call: { id: call.id, name: call.name, arguments: call.raw } });
    if (decided) continue;
    await decide(run, call);
    // What comes after this call in the reply is not run.
    if (call.state === 'paused') skip = 'paused';
    else if (batch.stop !== undefined) skip = 'stopped';
    else if (call.name === DONE && call.state === 'approved') skip = 'after_done';
  }
}

/** One new call: parse and validate its arguments, then ask the preDispatch hooks (the first decision wins). */
async function decide(run: Run, call: CallRecord): Promise<void> {
  const { registry } = run.env;
  const parsed = parseArgs(call.raw);
  if ('error' in parsed) return transition(call, { type: 'fail', error: { kind: parsed.kind, message: parsed.error, retriable: true } });
  call.args = parsed.args;
  const tool = registry.get(call.name);
  if (!tool) {
    const { unknownToolMessage } = await import('../suggest.ts'); // the hint loads only when a model names an unknown tool
    return transition(call, { type: 'fail', error: { kind: 'unknown_tool', message: unknownToolMessage(call.name, registry), retriable: true } });
  }
  if (!(await validateArgs(call, tool))) return;
  // `done` is not put to preDispatch (a gate on stopping could keep an agent from ever stopping): checkDone decides it.
  if (call.name === DONE) return clear(run, call, tool);

  const answer = await run.hooks.preDispatch({ id: call.id, name: call.name, args: call.args });
  switch (answer?.kind) {
    case undefined:
    case 'allow':
      return clear(run, call, tool);
    case 'deny':
      return transition(call, { type: 'deny', error: { kind: 'denied', message: answer.reason, retriable: answer.retry } });
    case 'respond':
      return transition(call, { type: 'respond', data: answer.result });
    case 'rewrite':
      call.args = answer.args;
      if (await validateArgs(call, tool)) await clear(run, call, tool);
      return;
    case 'stop':
      run.state.batch!.stop ??= answer.reason;
      return transition(call, { type: 'deny', error: { kind: 'denied', message: `Stopped: ${answer.reason}`, retriable: false } });
    case 'pause':
      return transition(call, { type: 'pause', reason: answer.reason });
    case 'refused':
      return transition(call, { type: 'fail', error: answer.error });
  }
}

/**
 * Clears a call to run, unless its tool says a human must approve every call: then it pauses,
 * whatever hooks are installed (a safety flag holds in every configuration).
 */
async function clear(run: Run, call: CallRecord, tool: RegisteredTool): Promise<void> {
  if (!tool.needsApproval) return transition(call, { type: 'allow' });
  const decision = { kind: 'pause' as const, reason: `${call.name} needs approval` };
  transition(call, { type: 'pause', reason: decision.reason });
  if (run.events.on) await run.events.emit({ type: 'decision', step: call.index, hook: 'needsApproval', slot: 'preDispatch', decision, callId: call.id });
}
