import type { LLMResponse } from '../backends/types.ts';
import { MockLLMBackend } from '../backends/mock.ts';
import { collect } from '../loop/collect.ts';
import { composableLoop } from '../loop/compose.ts';
import { jsonModeInstructions } from '../loop/json-mode.ts';
import type { Step, StepJSON } from '../loop/step.ts';
import type { Hook, LoopOutcome } from '../loop/types.ts';
import type { LoopEvent } from '../trace/events.ts';
import { parseJSONL } from '../trace/jsonl.ts';
import { ToolRegistry } from '../tools/registry.ts';
import { safeJSON } from '../util/json.ts';

export interface Divergence {
  readonly step: number;
  readonly expected?: StepJSON;
  readonly actual?: StepJSON;
  readonly reason: string;
}

export interface ReplayResult {
  readonly steps: Step[];
  readonly outcome: LoopOutcome;
  /** The first step where the replay did something else than the recording, if any. */
  readonly divergence?: Divergence;
}

/**
 * Re-runs a recorded run with the recorded model replies instead of a model. Tools are the
 * recorded results unless `tools` gives live ones; pass the run's `hooks` to reproduce their decisions.
 */
export async function replay(trace: readonly LoopEvent[] | string, opts: { tools?: ToolRegistry; hooks?: readonly Hook[] } = {}): Promise<ReplayResult> {
  const events = typeof trace === 'string' ? parseJSONL(trace) : trace;
  const start = events.find((e): e is Extract<LoopEvent, { type: 'run.start' }> => e.type === 'run.start');
  if (!start) throw new TypeError('replay: the trace has no run.start event.');
  const responses: LLMResponse[] = events.flatMap((e) => (e.type === 'llm.response' ? [e.response] : []));
  const recorded = new Map<number, StepJSON>();
  for (const e of events) if (e.type === 'step' && e.record.status !== 'paused') recorded.set(e.record.index, e.record);

  let system = events.find((e): e is Extract<LoopEvent, { type: 'prompt' }> => e.type === 'prompt' && e.system !== undefined)?.system;
  const instr = `\n\n${jsonModeInstructions(start.tools)}`;
  if (system && start.config.toolCallMode === 'json' && system.endsWith(instr)) system = system.slice(0, -instr.length);

  const tools = opts.tools ?? stubTools(start.tools, [...recorded.values()]);
  const { steps, outcome } = await collect(composableLoop({
    llm: new MockLLMBackend(responses),
    tools,
    task: start.task,
    config: { maxSteps: start.config.maxSteps, toolCallMode: start.config.toolCallMode, parallelToolCalls: start.config.parallelToolCalls, ...(system !== undefined ? { system } : {}) },
    hooks: opts.hooks ?? [],
  }));
  const divergence = compare(steps, recorded);
  return { steps, outcome, ...(divergence ? { divergence } : {}) };
}

/** Tools that answer each call with what the recording says it returned. */
function stubTools(schemas: Extract<LoopEvent, { type: 'run.start' }>['tools'], steps: StepJSON[]): ToolRegistry {
  const byId = new Map(steps.map((s) => [s.toolCall.id, s]));
  const reg = new ToolRegistry();
  for (const s of schemas) {
    reg.register({
      name: s.name, description: s.description, parameters: s.parameters,
      execute: (_args, ctx) => {
        const rec = byId.get(ctx.callId);
        if (!rec) throw new Error(`replay: no recorded result for call ${ctx.callId}`);
        if (rec.toolResult.error) throw new Error(rec.toolResult.error.message);
        return rec.toolResult.data;
      },
    });
  }
  return reg;
}

function compare(steps: readonly Step[], recorded: Map<number, StepJSON>): Divergence | undefined {
  const same = (a: StepJSON, b: StepJSON) =>
    a.toolCall.name === b.toolCall.name && safeJSON(a.toolCall.args) === safeJSON(b.toolCall.args) && a.status === b.status &&
    safeJSON(a.toolResult.data) === safeJSON(b.toolResult.data) && (a.toolResult.error?.message ?? '') === (b.toolResult.error?.message ?? '');
  const actual = steps.filter((s) => s.status !== 'paused');
  for (const s of actual) {
    const want = recorded.get(s.index);
    const got = s.toJSON();
    if (!want) return { step: s.index, actual: got, reason: 'the replay took a step the recording does not have' };
    if (!same(want, got)) return { step: s.index, expected: want, actual: got, reason: describe(want, got) };
  }
  const missing = [...recorded.keys()].find((i) => !actual.some((s) => s.index === i));
  if (missing !== undefined) return { step: missing, expected: recorded.get(missing)!, reason: 'the recording has a step the replay did not take' };
  return undefined;
}

function describe(a: StepJSON, b: StepJSON): string {
  if (a.toolCall.name !== b.toolCall.name) return `tool ${a.toolCall.name} became ${b.toolCall.name}`;
  if (safeJSON(a.toolCall.args) !== safeJSON(b.toolCall.args)) return 'the arguments differ';
  if (a.status !== b.status) return `status ${a.status} became ${b.status}`;
  return 'the result differs';
}
