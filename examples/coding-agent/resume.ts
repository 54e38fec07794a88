// What a resumed session answers before it goes on: the calls a crash cut off, and the flags'
// answers to the pending ones. Plain data in and out, so a browser host can use it too.
import { approve, reject, type Checkpoint, type ResumeDecision } from 'looplet';

/** Tools that can run again after a crash with the same effect: reading, or writing the same content. */
const SAFE_TO_REPEAT = new Set(['list', 'read', 'grep', 'write']);

export interface ResumePlan {
  readonly decisions: Record<string, ResumeDecision>;
  /** Interrupted calls run again without asking, to tell the human about. */
  readonly repeated: readonly string[];
}

/**
 * The calls a human may answer: those a hook paused, and those cut off while running. Calls of the
 * same reply waiting behind a pause are pending too, but no hook has looked at them yet: answering
 * them would skip the deny list, so they are left to be checked afresh when the run goes on.
 */
export function askable(checkpoint: Checkpoint | undefined): Set<string> {
  return new Set((checkpoint?.batch?.calls ?? []).filter((c) => c.state === 'paused' || c.state === 'running').map((c) => c.id));
}

/**
 * A call that was running when the process died may or may not have run: repeat it when that is
 * safe; otherwise it waits for a human like any paused call. `answer` (from --approve, --reject,
 * --yes) answers every call a human may answer.
 */
export function planResume(saved: Checkpoint, answer: ResumeDecision | undefined): ResumePlan {
  const decisions: Record<string, ResumeDecision> = {};
  const repeated: string[] = [];
  const open = askable(saved);
  for (const c of saved.batch?.calls ?? []) {
    if (!open.has(c.id)) continue;
    if (c.state === 'running' && SAFE_TO_REPEAT.has(c.name)) {
      decisions[c.id] = approve();
      const args = JSON.stringify(c.args);
      repeated.push(`${c.name}(${args.length > 80 ? `${args.slice(0, 79)}…` : args})`);
    } else if (answer) decisions[c.id] = answer;
  }
  return { decisions, repeated };
}

/** The answer the flags give to pending calls, if any. */
export function flagAnswer(flags: { readonly approve: boolean; readonly reject?: string; readonly yes: boolean }): ResumeDecision | undefined {
  if (flags.reject !== undefined) return reject(flags.reject);
  return flags.approve || flags.yes ? approve() : undefined;
}
