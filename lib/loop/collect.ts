import type { Step } from './step.ts';
import type { LoopOutcome } from './types.ts';

/** Runs a loop to its end: every step, and the outcome the generator returned. */
export async function collect(run: AsyncGenerator<Step, LoopOutcome, undefined>): Promise<{ steps: Step[]; outcome: LoopOutcome }> {
  const steps: Step[] = [];
  for (;;) {
    const r = await run.next();
    if (r.done) return { steps, outcome: r.value };
    steps.push(r.value);
  }
}
