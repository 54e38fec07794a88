// Folds trace events into runs the panel can render. Events may arrive live or from a file,
// for one run or many; a run keeps its id across pauses and resumes, so it stays one run.
// Prompts are indexed, not rebuilt: every message a run sent is kept once, in order, and each
// prompt is a slice of that log — any step's prompt costs its own length, not the run's history.
import type { LLMResponse, LoopEvent, Message, PendingCall, ResumeDecision, StepJSON, ToolSchema, Usage } from 'looplet';

export type RunStatus = 'running' | 'paused' | 'done' | 'error' | 'stopped' | 'max_steps' | 'aborted';

/** What was decided about a step: a hook's decision or error, a compaction, or a human's answer to a pause. */
export type StepDecision =
  | { readonly source: 'hook'; readonly event: Extract<LoopEvent, { type: 'decision' | 'error' | 'compact' }> }
  | { readonly source: 'human'; readonly decision: ResumeDecision; readonly ts: number };

export interface StepRow {
  readonly index: number;
  readonly record: StepJSON;
  /** Which prompt (index into run.prompts) the model saw for this step's reply. */
  readonly prompt: number;
  /** Every decision about this step, kept across its pause and its resume. */
  readonly decisions: readonly StepDecision[];
  /** When the step ended (its tool returned or it was decided), epoch ms. */
  readonly ts: number;
}

export interface PromptEntry {
  readonly step: number;
  /** The prompt's messages are run.log[start, start + length). */
  readonly start: number;
  readonly length: number;
  readonly system?: string;
  /** When the prompt was sent, epoch ms. */
  readonly ts: number;
  /** The model's reply to this prompt, and how long it took. */
  response?: LLMResponse;
  llmMs?: number;
}

export interface RunView {
  readonly runId: string;
  status: RunStatus;
  task?: unknown;
  tools: readonly ToolSchema[];
  /** Steps by index (a paused step is replaced by its decided one on resume). */
  steps: StepRow[];
  prompts: PromptEntry[];
  /** Every message the run sent a model, once, in order (prompts are slices of it). */
  log: Message[];
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
  /** A conversation's turn: which chat, which turn. */
  conversationId?: string;
  turn?: number;
  /** A subagent's run: the run and the call that started it. */
  parentRunId?: string;
  parentCallId?: string;
  /** How many steps failed (their tool, or a hook on them): see `isError`. */
  failed: number;
  /** Bumped on every change: cheap memo key for views. */
  version: number;
}

const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

export class TraceModel {
  readonly runs = new Map<string, RunView>();
  /** Every event, in arrival order: what "Save trace" writes (empty with `keepEvents: false`). */
  readonly events: LoopEvent[] = [];
  /** False when the trace can be read again from where it came (a file): a long one is not held twice. */
  readonly keepsEvents: boolean;
  readonly #listeners = new Set<() => void>();
  readonly #waiting = new Map<string, StepDecision[]>();
  readonly #human = new Map<string, StepDecision>();
  version = 0;

  constructor({ keepEvents = true }: { keepEvents?: boolean } = {}) {
    this.keepsEvents = keepEvents;
  }

  add(events: Iterable<LoopEvent>): void {
    for (const e of events) {
      if (this.keepsEvents) this.events.push(e);
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
      r = { runId, status: 'running', tools: [], steps: [], prompts: [], log: [], pending: [], usage: emptyUsage(), errors: [], evals: [], compactions: 0, failed: 0, version: 0 };
      this.runs.set(runId, r);
    }
    return r;
  }

  #apply(e: LoopEvent): void {
    if (!e || typeof e !== 'object' || typeof e.runId !== 'string') return;
    const r = this.#run(e.runId);
    r.version++;
    if (e.conversationId !== undefined && r.conversationId === undefined) { r.conversationId = e.conversationId; if (e.turn !== undefined) r.turn = e.turn; }
    if (e.parentRunId !== undefined && r.parentRunId === undefined) { r.parentRunId = e.parentRunId; if (e.parentCallId !== undefined) r.parentCallId = e.parentCallId; }
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
        for (const [callId, d] of Object.entries(e.decisions)) this.#human.set(`${e.runId}#${callId}`, { source: 'human', decision: d as ResumeDecision, ts: e.ts });
        break;
      case 'prompt':
        addPrompt(r, e);
        break;
      case 'llm.response': {
        const p = r.prompts[r.prompts.length - 1];
        if (p && !p.response) { p.response = e.response; p.llmMs = e.durationMs; }
        if (e.response.usage && r.status === 'running') addLiveUsage(r, e.response.usage);
        break;
      }
      case 'eval':
        r.evals = e.results;
        break;
      case 'compact':
      case 'decision':
      case 'error': {
        if (e.type === 'compact') r.compactions++;
        if (e.type === 'error') r.errors.push(e);
        const key = `${e.runId}#${e.step}`;
        const list = this.#waiting.get(key) ?? [];
        list.push({ source: 'hook', event: e });
        this.#waiting.set(key, list);
        break;
      }
      case 'step':
        this.#step(r, e);
        break;
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
      default:
        break;
    }
  }

  #step(r: RunView, e: Extract<LoopEvent, { type: 'step' }>): void {
    const key = `${e.runId}#${e.step}`;
    const human = this.#human.get(`${e.runId}#${e.record.toolCall.id}`);
    const fresh = [...(this.#waiting.get(key) ?? []), ...(human && e.record.status !== 'paused' ? [human] : [])];
    this.#waiting.delete(key);
    // steps arrive in order; a resumed call replaces its paused record (same index), keeping what was decided about it
    const at = findStep(r.steps, e.record.index);
    const before = r.steps[at]?.index === e.record.index ? r.steps[at]! : undefined;
    const row: StepRow = { index: e.record.index, record: e.record, prompt: before && e.record.status !== 'paused' ? before.prompt : Math.max(0, r.prompts.length - 1), decisions: [...(before?.decisions ?? []), ...fresh], ts: e.ts };
    if (before) r.steps[at] = row;
    else r.steps.splice(at, 0, row);
    r.failed += (isError(row) ? 1 : 0) - (before && isError(before) ? 1 : 0);
  }
}

/** A step that went wrong: its tool failed, or a hook failed on it. */
export function isError(step: StepRow): boolean {
  return step.record.status === 'error' || step.decisions.some((d) => d.source === 'hook' && d.event.type === 'error');
}

/** Step `index` of a run (a binary search: a 100,000-step run is not scanned). */
export function stepAt(run: RunView, index: number | undefined): StepRow | undefined {
  if (index === undefined) return undefined;
  const s = run.steps[findStep(run.steps, index)];
  return s?.index === index ? s : undefined;
}

/** Where step `index` is, or goes, in steps sorted by index (a binary search: the common case is the end). */
function findStep(steps: readonly StepRow[], index: number): number {
  const last = steps[steps.length - 1];
  if (!last || last.index < index) return steps.length;
  let lo = 0, hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]!.index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A prompt event carries the messages added since the previous prompt: append them to the log, or start a new slice. */
function addPrompt(r: RunView, e: Extract<LoopEvent, { type: 'prompt' }>): void {
  const prev = r.prompts[r.prompts.length - 1];
  const system = e.system ?? prev?.system;
  const keep = prev ? Math.min(e.offset, prev.length) : 0; // messages carried over from the previous prompt
  let start = r.log.length;
  if (prev && keep > 0 && keep === prev.length && prev.start + prev.length === r.log.length) start = prev.start; // it grew at the end: the usual case
  else for (let i = 0; i < keep; i++) r.log.push(r.log[prev!.start + i]!); // a shorter prefix: a slice of its own
  for (const m of e.messages) r.log.push(m);
  r.prompts.push({ step: e.step, ts: e.ts, start, length: r.log.length - start, ...(system !== undefined ? { system } : {}) });
}

function addLiveUsage(r: RunView, u: Usage): void {
  // live totals while running; run.end brings the authoritative sum
  r.usage = {
    ...r.usage,
    inputTokens: r.usage.inputTokens + (u.inputTokens || 0),
    outputTokens: r.usage.outputTokens + (u.outputTokens || 0),
    totalTokens: r.usage.totalTokens + (u.totalTokens || 0),
    ...(u.costUsd !== undefined ? { costUsd: (r.usage.costUsd ?? 0) + u.costUsd } : {}),
  };
}

/** The full prompt `k`: a slice of the run's log (its own length; nothing earlier is rebuilt). */
export function promptAt(run: RunView, k: number): { system?: string; messages: Message[] } {
  const p = run.prompts[Math.min(k, run.prompts.length - 1)];
  if (!p) return { messages: [] };
  return { messages: run.log.slice(p.start, p.start + p.length), ...(p.system !== undefined ? { system: p.system } : {}) };
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

/** The messages prompt `k` added to the one before it (all of it after a rewrite): what is new at that step. */
export function addedMessages(run: RunView, k: number): Message[] {
  const p = run.prompts[k];
  if (!p) return [];
  const prev = run.prompts[k - 1];
  const from = prev && prev.start === p.start ? prev.start + Math.min(prev.length, p.length) : p.start;
  return run.log.slice(from, p.start + p.length);
}

/** The runs a step started (subagents), from the events that link them to it. */
export function childRuns(runs: Iterable<RunView>, parent: RunView, step: StepRow): RunView[] {
  const out: RunView[] = [];
  for (const r of runs) if (r.parentRunId === parent.runId && r.parentCallId === step.record.toolCall.id) out.push(r);
  return out;
}
