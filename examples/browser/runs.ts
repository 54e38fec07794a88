// Starting and resuming runs. Every run saves a checkpoint to IndexedDB at each save point, so a
// run paused for approval is still there after a reload and resumes from where it stopped.
import { CheckpointHook, composableLoop, resumeFrom, type Checkpoint, type Hook, type LLMBackend, type LoopOutcome, type ResumeDecision, type Step } from 'looplet';
import { indexedDBStore } from 'looplet/idb';
import { TASK, tools } from './agent.ts';

export const store = indexedDBStore({ dbName: 'looplet-example' });

async function drive(run: AsyncGenerator<Step, LoopOutcome>): Promise<LoopOutcome> {
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}

/** A new run of the agent; `hooks` watch it (the devtools, the page). */
export function startRun(llm: LLMBackend, hooks: readonly Hook[]): Promise<LoopOutcome> {
  const runId = crypto.randomUUID();
  return drive(composableLoop({ llm, tools, task: TASK, runId, hooks: [new CheckpointHook({ store, runId }), ...hooks] }));
}

/** Continues a paused run with a human's decisions, from its last checkpoint in IndexedDB. */
export function resumeRun(runId: string, decisions: Record<string, ResumeDecision>, llm: LLMBackend, hooks: readonly Hook[]): Promise<LoopOutcome> {
  return drive(resumeFrom(store, runId, { llm, tools, decisions, hooks: [new CheckpointHook({ store, runId }), ...hooks] }));
}

/** Every saved run, newest first. */
export async function savedRuns(): Promise<Checkpoint[]> {
  const all = await Promise.all((await store.list()).map((id) => store.get(id)));
  return all.filter((c): c is Checkpoint => c !== undefined).sort((a, b) => b.savedAt - a.savedAt);
}

export async function forgetRuns(): Promise<void> {
  await Promise.all((await store.list()).map((id) => store.delete(id)));
}
