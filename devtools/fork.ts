// Fork a recorded run: replay its model replies up to a step, then hand over to a live model.
import type { GenerateOptions, LLMBackend, LLMRequest, LLMResponse } from 'looplet';
import type { RunView } from './model.ts';

/** What re-running `run` up to step `step` needs: its task and the recorded replies that produced steps 1…`step`. */
export function forkPoint(run: RunView, step: number): { task: unknown; replies: LLMResponse[] } {
  const row = run.steps.find((s) => s.index === step);
  if (!row) throw new RangeError(`forkPoint: run ${run.runId} has no step ${step}.`);
  const replies: LLMResponse[] = [];
  for (let k = 0; k <= row.prompt; k++) {
    const r = run.prompts[k]?.response;
    if (!r) throw new TypeError(`forkPoint: the trace has no model reply for prompt ${k + 1} (record llm.response events to fork a run).`);
    replies.push(r);
  }
  return { task: run.task, replies };
}

/** A backend that answers with `replies` first (a copy each, in order), then asks `then`. */
export function forkBackend(replies: readonly LLMResponse[], then: LLMBackend): LLMBackend {
  let used = 0;
  return {
    async generate(request: LLMRequest, options: GenerateOptions): Promise<LLMResponse> {
      const next = replies[used];
      if (next === undefined) return then.generate(request, options);
      used++;
      options.signal?.throwIfAborted();
      return structuredClone(next);
    },
  };
}
