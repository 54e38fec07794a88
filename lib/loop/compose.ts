// composableLoop: the loop itself, wired from its phases (./run/). Each turn prompts the model,
// plans its calls and executes them (`turn`), then records each as a Step (`record`, which
// yields them); `decide` reads the run's state after each turn and says whether it goes on.
// Teardown runs in `finally`, whatever happened.
import { LoopletError } from '../errors.ts';
import type { LoopOutcome } from '../shapes.ts';
import { conclude, teardown } from './run/end.ts';
import { beginRun, startRun } from './run/start.ts';
import { record } from './run/record.ts';
import { decide, interrupted, turn } from './run/turn.ts';
import type { Step } from './step.ts';
import type { ToolParameters, UserState } from '../tools/types.ts';
import type { LoopOptions } from './types.ts';

/**
 * Runs an agent: prompt the model, dispatch its tool calls, repeat until `done`, a stop or the
 * budget. Every tool call is yielded as a `Step`; the generator returns the `LoopOutcome`.
 */
export async function* composableLoop<S extends UserState = UserState, const T extends readonly ToolParameters[] = readonly ToolParameters[]>(
  options: LoopOptions<S, T>,
): AsyncGenerator<Step, LoopOutcome, undefined> {
  const run = await startRun(options);
  let ended: LoopOutcome | undefined;
  let thrown: { error: unknown } | undefined;
  try {
    await beginRun(run, options.resume !== undefined, options.decisions);
    let next = decide(run);
    while (next.type === 'continue') {
      if (await turn(run)) yield* record(run);
      next = decide(run);
    }
    ended = await conclude(run, next);
  } catch (error) {
    thrown = { error };
  } finally {
    // A caller that breaks out of `for await` (or calls return()) lands here with no outcome.
    const final = await teardown(run, ended ?? (await conclude(run, interrupted(run, thrown))));
    ended = final.outcome;
    // A hook error with `hookErrors: 'throw'`, or misuse (a forged decision…), is rethrown after teardown.
    if (thrown && !(run.env.config.hookErrors === 'throw' || thrown.error instanceof LoopletError)) thrown = undefined;
    thrown ??= final.error;
  }
  if (thrown) throw thrown.error;
  return ended;
}
