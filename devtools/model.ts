// Folds trace events into runs the panel can render. Events may arrive live or from a file,
// for one run or many; a run keeps its id across pauses and resumes, so it stays one run.
import type { LoopEvent, Message, PendingCall, StepJSON, ToolSchema, Usage } from 'looplet';

export type RunStatus = 'running' | 'paused' | 'done' | 'error' | 'stopped' | 'max_steps' | 'aborted';

export interface StepRow {
  readonly index: number;
  readonly record: StepJSON;
  /** Which `prompt` event (index into run.prompts) the model saw for this step's reply. */
  readonly prompt: number;
  readonly decisions: readonly LoopEvent[];
}

export interface PromptEntry {
  readonly step: number;
  readonly offset: number;
  readonly messages: readonly Message[];
  readonly system?: string;
}

export interface RunView {
  readonly runId: string;
  status: RunStatus;
  task?: unknown;
  tools: readonly ToolSchema[];
  /** Steps by index (a paused step is replaced by its decided one on resume). */
  steps: StepRow[];
  prompts: PromptEntry[];
  pending: readonly PendingCall[];
  usage: Usage;
  errors: LoopEvent[];
  startedAt?: number;
  endedAt?: number;
  answer?: unknown;
  reason?: string;
  /** Eval scores (from EvalHook's `eval` event). */
  evals: readonly { name: string; score: number; passed: boolean; reason?: string }[];
  compactions: number;
  /** Bumped on every change: cheap memo key for views. */
  version: number;
}

const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

export class TraceModel {
  readonly runs = new Map<string, RunView>();
  /** Every event, in arrival order: what "Save trace" writes. */
  readonly events: LoopEvent[] = [];
  readonly #listeners = new Set<() => void>();
  #pendingDecisions = new Map<string, LoopEvent[]>();
  version = 0;

  add(events: Iterable<LoopEvent>): void {
    for (const e of events) {
      this.events.push(e);
      this.#apply(e);
    }
    this.version++;
    for (const l of this.#listeners) l();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #run(runId: string): RunView {
    let r = this.runs.get(runId);
    if (!r) {
      r = { runId, status: 'running', tools: [], steps: [], prompts: [], pending: [], usage: emptyUsage(), errors: [], evals: [], compactions: 0, version: 0 };
      this.runs.set(runId, r);
    }
    return r;
  }

  #apply(e: LoopEvent): void {
    if (!e || typeof e !== 'object' || typeof e.runId !== 'string') return;
    const r = this.#run(e.runId);
    r.version++;
    switch (e.type) {
      case 'run.start':
        r.task = e.task;
        r.tools = e.tools;
        r.startedAt ??= e.ts;
        r.status = 'running';
        break;
      case 'resume':
        r.status = 'running';
        r.pending = [];
        break;
      case 'prompt':
        r.prompts.push({ step: e.step, offset: e.offset, messages: e.messages, ...(e.system !== undefined ? { system: e.system } : {}) });
        break;
      case 'eval':
        r.evals = e.results;
        break;
      case 'compact':
      case 'decision':
      case 'error': {
        if (e.type === 'compact') r.compactions++;
        if (e.type === 'error') r.errors.push(e);
        const key = `${e.runId}#${e.step}`;
        const list = this.#pendingDecisions.get(key) ?? [];
        list.push(e);
        this.#pendingDecisions.set(key, list);
        break;
      }
      case 'step': {
        const key = `${e.runId}#${e.step}`;
        const row: StepRow = { index: e.record.index, record: e.record, prompt: Math.max(0, r.prompts.length - 1), decisions: this.#pendingDecisions.get(key) ?? [] };
        this.#pendingDecisions.delete(key);
        // steps arrive in order; a resumed call replaces its paused record (same index)
        const last = r.steps.length > 0 ? r.steps[r.steps.length - 1]! : undefined;
        if (last && last.index === row.index) r.steps[r.steps.length - 1] = row;
        else if (last && last.index > row.index) {
          const at = r.steps.findIndex((s) => s.index >= row.index);
          if (r.steps[at]?.index === row.index) r.steps[at] = row;
          else r.steps.splice(at, 0, row);
        } else r.steps.push(row);
        break;
      }
      case 'pause':
        r.status = 'paused';
        r.pending = e.pending;
        break;
      case 'run.end':
        r.status = e.outcome.status === 'paused' ? 'paused' : (e.outcome.status as RunStatus);
        r.usage = e.usage;
        r.endedAt = e.ts;
        r.answer = e.outcome.answer;
        if (e.outcome.reason !== undefined) r.reason = e.outcome.reason;
        if (e.outcome.pending) r.pending = e.outcome.pending;
        break;
      case 'llm.response':
        if (e.response.usage && r.status === 'running') {
          // live totals while running; run.end brings the authoritative sum
          const u = e.response.usage;
          r.usage = {
            ...r.usage,
            inputTokens: r.usage.inputTokens + (u.inputTokens || 0),
            outputTokens: r.usage.outputTokens + (u.outputTokens || 0),
            totalTokens: r.usage.totalTokens + (u.totalTokens || 0),
            ...(u.costUsd !== undefined ? { costUsd: (r.usage.costUsd ?? 0) + u.costUsd } : {}),
          };
        }
        break;
      default:
        break;
    }
  }
}

/** The full message list of prompt `k`: the previous prompt's first `offset` messages, then this one's. */
export function promptAt(run: RunView, k: number): { system?: string; messages: Message[] } {
  let messages: Message[] = [];
  let system: string | undefined;
  for (let i = 0; i <= k && i < run.prompts.length; i++) {
    const p = run.prompts[i]!;
    messages = [...messages.slice(0, p.offset), ...p.messages];
    if (p.system !== undefined) system = p.system;
  }
  return { messages, ...(system !== undefined ? { system } : {}) };
}

/** A prompt as plain text, one block per message: what the diff compares. */
export function promptText(p: { system?: string; messages: readonly Message[] }): string {
  const blocks: string[] = [];
  if (p.system) blocks.push(`## system\n${p.system}`);
  for (const m of p.messages) {
    const head = m.role === 'tool' ? `## tool ${m.name ?? ''} (${m.toolCallId ?? ''})` : `## ${m.role}`;
    const calls = m.toolCalls?.map((c) => `→ ${c.name}(${c.arguments}) [${c.id}]`).join('\n');
    blocks.push([head, m.content, calls].filter((x) => x).join('\n'));
  }
  return blocks.join('\n\n') + '\n';
}
