// EXECUTE: run the calls cleared to run, concurrently when parallel calls are on. The run is
// saved with them marked running (after a crash they come back paused, never run again blindly),
// and again as each finishes.
import type { CallRecord } from '../../shapes.ts';
import { DONE } from '../../tools/done.ts';
import { runTool, type ToolOutcome } from '../run-tool.ts';
import { transition } from './call.ts';
import type { Run } from './run.ts';

export async function execute(run: Run): Promise<void> {
  // `done` runs when it is recorded, once the calls before it are.
  const toRun = run.state.batch!.calls.filter((c) => c.state === 'approved' && c.name !== DONE);
  if (toRun.length === 0) return;
  for (const call of toRun) transition(call, { type: 'start' });
  await run.hooks.save();
  const finished = async (call: CallRecord, out: ToolOutcome) => {
    if (out.pause || call.resumed) (await import('../pauses.ts')).settlePaused(call, out);
    else transition(call, { type: 'finish', ...out });
    await run.hooks.save();
  };
  if (toRun.length > 1 && run.env.config.parallelToolCalls) {
    await Promise.all(toRun.map(async (call) => finished(call, await runCall(run, call))));
  } else {
    for (const call of toRun) {
      // one at a time, what follows a call that paused itself waits behind it, as after a hook's pause
      if (toRun.some((c) => c.state === 'paused')) transition(call, { type: 'skip', reason: 'paused' });
      else await finished(call, await runCall(run, call));
    }
  }
}

/** Runs a call's tool. It gets its own copy of the arguments, so the recorded step keeps what was called. */
export function runCall(run: Run, call: CallRecord): ToolOutcome | Promise<ToolOutcome> {
  const { env, state } = run;
  const tool = env.registry.get(call.name)!;
  const ctx = { runId: env.runId, step: call.index, callId: call.id, state: state.userState, resumed: call.resumed, link: () => import('../link.ts').then((m) => m.link(run, call)) };
  return runTool(tool, copyArgs(call.args), ctx, env.abort, tool.timeoutMs ?? env.config.toolTimeoutMs);
}

function copyArgs(args: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(args);
  } catch {
    return { ...args }; // e.g. a schema transform produced a function
  }
}
