// Runs and chats whose checkpoints live in Deno KV. A checkpoint's pending calls carry no
// signature (the signature is made for the outcome), so the signatures of the last pause are
// kept beside it: GET /runs/:id works after a restart, in another process or instance.
import {
  CheckpointHook, composableLoop, conversation, resumeFrom,
  type Checkpoint, type CheckpointStore, type Hook, type LLMBackend, type LoopOutcome, type PendingCall, type ResumeDecision,
} from 'looplet';
import { config, tools } from './agent.ts';
import { LiveRuns } from './live.ts';

/** What the API answers about a run. */
export interface RunView {
  readonly id: string;
  readonly status: Checkpoint['status'];
  readonly steps: number;
  readonly answer?: unknown;
  readonly error?: unknown;
  readonly pending: readonly PendingCall[];
}

/** A refusal of the app's own: the HTTP layer answers 404 / 409. */
export class AppError extends Error {
  constructor(readonly code: 'not_found' | 'busy', message: string) {
    super(message);
  }
}

type Signatures = Record<string, string>;

export class Runs {
  readonly live = new LiveRuns();

  constructor(
    private readonly kv: Deno.Kv,
    private readonly store: CheckpointStore,
    private readonly llm: LLMBackend,
    private readonly approvalSecret: string,
  ) {}

  /** Starts a run; `outcome` settles when it pauses or ends. */
  start(message: string): { id: string; outcome: Promise<LoopOutcome> } {
    const id = crypto.randomUUID();
    const outcome = this.live.track(id, (hook) =>
      composableLoop({ llm: this.llm, tools, config, task: message, runId: id, approvalSecret: this.approvalSecret, hooks: [...this.hooks(), hook, new CheckpointHook({ store: this.store, runId: id })] }));
    return { id, outcome };
  }

  /** Resumes a paused run with (signed) decisions; refusals are thrown before any tool runs. */
  async decide(id: string, decisions: Record<string, ResumeDecision>): Promise<LoopOutcome> {
    if (!(await this.store.get(id))) throw new AppError('not_found', `No run ${id}.`);
    // No await between this check and track(): two concurrent approvals cannot both resume.
    if (this.live.running(id)) throw new AppError('busy', `Run ${id} is running; wait for it to pause or end.`);
    return this.live.track(id, (hook) =>
      resumeFrom(this.store, id, { llm: this.llm, tools, decisions, approvalSecret: this.approvalSecret, hooks: [...this.hooks(), hook, new CheckpointHook({ store: this.store, runId: id })] }));
  }

  async view(id: string): Promise<RunView | undefined> {
    const cp = await this.store.get(id);
    if (!cp) return undefined;
    const signatures = (await this.kv.get<Signatures>(['looplet-example', 'signatures', id])).value ?? {};
    const pending = (cp.pending ?? []).map((p): PendingCall => (signatures[p.id] ? { ...p, signature: signatures[p.id] } : p));
    return { id, status: cp.status, steps: cp.stepCount, ...(cp.answer !== undefined ? { answer: cp.answer } : {}), pending };
  }

  /** A multi-turn chat (`conversation`): each message is a run; a paused turn is answered like a run. */
  async send(chatId: string, message: string): Promise<LoopOutcome> {
    const key = `chat:${chatId}`;
    if (this.live.running(key)) throw new AppError('busy', `Chat ${chatId} is answering; wait for it.`);
    return await this.live.track(key, (hook) => conversation({ store: this.store, id: chatId }).send(message, this.turnOptions(hook)));
  }

  async answer(chatId: string, decisions: Record<string, ResumeDecision>): Promise<LoopOutcome> {
    const key = `chat:${chatId}`;
    if (this.live.running(key)) throw new AppError('busy', `Chat ${chatId} is answering; wait for it.`);
    return await this.live.track(key, (hook) => conversation({ store: this.store, id: chatId }).resume(decisions, this.turnOptions(hook)));
  }

  async chat(chatId: string): Promise<{ id: string; turns: unknown[]; last?: RunView }> {
    const turns = await conversation({ store: this.store, id: chatId }).turns();
    if (!turns.length) throw new AppError('not_found', `No chat ${chatId}.`);
    const last = await this.view(turns.at(-1)!.runId);
    return { id: chatId, turns, ...(last ? { last } : {}) };
  }

  private turnOptions(hook: Hook) {
    return { llm: this.llm, tools, config, approvalSecret: this.approvalSecret, hooks: [...this.hooks(), hook] };
  }

  /** Keeps the signatures of the run's pending calls (none once it goes on) for GET /runs/:id. */
  private hooks(): Hook[] {
    const kv = this.kv;
    return [{
      name: 'signatures',
      async onLoopEnd(_ctx, outcome) {
        const signatures: Signatures = {};
        for (const p of outcome.pending ?? []) if (p.signature) signatures[p.id] = p.signature;
        await kv.set(['looplet-example', 'signatures', outcome.runId], signatures);
      },
    }];
  }
}

/** The API's answer once a run paused or ended. */
export function outcomeView(o: LoopOutcome): RunView {
  return {
    id: o.runId, status: o.status, steps: o.steps, pending: o.pending ?? [],
    ...(o.answer !== undefined ? { answer: o.answer } : {}), ...(o.error ? { error: o.error } : {}),
  };
}
