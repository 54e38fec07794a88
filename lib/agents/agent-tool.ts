// Subagents: a tool whose `execute` runs an agent of its own. The nested run has its own id,
// budget and hooks; its events reach the parent's listeners (tagged with the parent's run and
// call), its checkpoints are kept in the parent's, its usage is counted in the parent's total, and
// a pause inside it pauses the parent — the human's decision reaches the nested call on resume.
import type { LLMBackend } from '../backends/types.ts';
import { approve, edit, reject } from '../hooks/decisions.ts';
import { collect } from '../loop/collect.ts';
import { composableLoop } from '../loop/compose.ts';
import type { Hook } from '../loop/types.ts';
import type { Checkpoint, JSONSchema, LoopConfig, PendingCallJSON, ResumeDecision, Task, ToolResumed, Usage } from '../shapes.ts';
import type { StandardSchemaV1 } from '../tools/standard-schema.ts';
import { ToolRegistry } from '../tools/registry.ts';
import type { ToolArgs, ToolContext, ToolSpec } from '../tools/types.ts';

export interface AgentToolOptions<P extends JSONSchema | StandardSchemaV1> {
  readonly name: string;
  readonly description: string;
  readonly parameters: P;
  /** The subagent's task, from the arguments the parent's model gave. */
  task(args: ToolArgs<P>): Task;
  readonly llm: LLMBackend;
  readonly tools: ToolRegistry | readonly ToolSpec[];
  readonly hooks?: readonly Hook[];
  readonly config?: LoopConfig;
  readonly needsApproval?: boolean;
  readonly timeoutMs?: number;
}

/** What the parent's checkpoint keeps of a subagent while it runs: its latest checkpoint, and the usage already counted. */
interface Progress {
  /** Absent until the subagent's first checkpoint: it had done nothing yet, so it starts again. */
  readonly checkpoint?: Checkpoint;
  readonly counted?: Usage;
}

/** What the parent's pending call says about a subagent's pause. */
export interface SubagentPause {
  readonly subagent: { readonly name: string; readonly runId: string; readonly pending: readonly PendingCallJSON[] };
}

/**
 * A tool that runs a nested `composableLoop`. Its result is the subagent's answer, as it is; a
 * subagent that ends in error, at `maxSteps` or stopped is a tool error with the reason.
 */
export function agentTool<P extends JSONSchema | StandardSchemaV1>(o: AgentToolOptions<P>): ToolSpec<P> {
  const registry = o.tools instanceof ToolRegistry ? o.tools : o.tools.reduce((r, t) => r.register(t), new ToolRegistry());
  return {
    name: o.name,
    description: o.description,
    parameters: o.parameters,
    ...(o.needsApproval ? { needsApproval: true } : {}),
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    async execute(args: ToolArgs<P>, ctx: ToolContext): Promise<unknown> {
      const link = await ctx.link();
      const saved = link.saved as Progress | undefined;
      // finished before the parent could record it (a crash in between): its answer, not a second run
      if (saved?.checkpoint?.status === 'done') return saved.checkpoint.answer;
      // on record before the subagent starts: after a crash this call goes on from its progress instead of waiting for a human
      if (!saved) await link.save({} satisfies Progress);
      let counted = saved?.counted;
      const up: Hook = {
        name: `agentTool:${o.name}`,
        onEvent: (e) => link.emit(e),
        onCheckpoint: (checkpoint) => link.save({ checkpoint, ...(counted ? { counted } : {}) } satisfies Progress),
      };
      const common = {
        llm: o.llm, tools: registry, hooks: [...(o.hooks ?? []), up], signal: ctx.signal,
        config: { hookErrors: link.hookErrors, ...o.config },
        trace: { parentRunId: ctx.runId, parentCallId: ctx.callId },
      };
      const asked = (ctx.resumed?.data as SubagentPause | undefined)?.subagent;
      const run = saved?.checkpoint
        ? composableLoop({ ...common, resume: saved.checkpoint, decisions: asked ? decisionsFor(ctx.resumed!, asked.pending) : {} })
        : composableLoop({ ...common, task: o.task(args), runId: `${ctx.runId}.${ctx.callId}` });
      const { outcome } = await collect(run);
      link.addUsage(minus(outcome.usage, counted));
      counted = outcome.usage;
      if (outcome.status === 'done') return outcome.answer;
      if (outcome.status === 'paused' && outcome.pending?.length) {
        await link.save({ checkpoint: outcome.checkpoint!, counted } satisfies Progress);
        const pending = outcome.pending.map(({ id, call, reason }) => ({ id, call, reason }));
        const first = pending[0]!;
        const schema = pending.length === 1 ? registry.get(first.call.name)?.parameters : undefined;
        const data: SubagentPause = { subagent: { name: o.name, runId: outcome.runId, pending } };
        return ctx.pause(`${o.name}: ${first.call.name} — ${first.reason}${pending.length > 1 ? ` (and ${pending.length - 1} more)` : ''}`, data, schema ? { schema } : {});
      }
      throw new Error(`Subagent ${o.name} ended ${outcome.status}: ${outcome.error?.message ?? outcome.reason ?? 'no answer'}`);
    },
  };
}

/** The parent's decision, for the subagent's pending calls: all approved or all rejected; an edit gives the one pending call new arguments. */
function decisionsFor(answer: ToolResumed, pending: readonly PendingCallJSON[]): Record<string, ResumeDecision> {
  const one = (): ResumeDecision => (answer.kind === 'reject' ? reject(answer.reason ?? 'rejected') : answer.kind === 'edit' && answer.args && pending.length === 1 ? edit(answer.args) : approve());
  return Object.fromEntries(pending.map((p) => [p.id, one()]));
}

/** What `a` adds to what was already counted. */
function minus(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  const d = (x?: number, y?: number) => (x ?? 0) - (y ?? 0);
  return { inputTokens: d(a.inputTokens, b.inputTokens), outputTokens: d(a.outputTokens, b.outputTokens), totalTokens: d(a.totalTokens, b.totalTokens), ...(a.costUsd !== undefined ? { costUsd: d(a.costUsd, b.costUsd) } : {}) };
}
