// Conversations: a chat whose every message is a turn — a run that starts from the messages of
// the turns before it. The chat (its messages and turns) and each turn's checkpoints live in a
// checkpoint store, so another process, tab or Worker invocation continues where this one stopped.
import { LoopletError } from '../errors.ts';
import { CheckpointHook } from '../hooks/checkpoint.ts';
import { composableLoop } from '../loop/compose.ts';
import type { Step } from '../loop/step.ts';
import type { LoopOptions } from '../loop/types.ts';
import { addUsage, zeroUsage } from '../loop/usage.ts';
import type { Checkpoint, LoopOutcome, LoopStatus, Message, ResumeDecision, Usage } from '../shapes.ts';
import type { CheckpointStore } from '../stores/types.ts';

/** One turn: the user's message and how the run it started went (its own usage). */
export interface Turn {
  readonly turn: number;
  readonly runId: string;
  readonly message: string;
  readonly status: 'running' | LoopStatus;
  readonly answer?: unknown;
  readonly usage: Usage;
}

/** What a turn takes: `composableLoop`'s options but the task (the message) and what the chat sets itself. */
export type SendOptions = Omit<LoopOptions, 'task' | 'resume' | 'decisions' | 'history' | 'runId' | 'trace'>;

export interface Conversation {
  readonly id: string;
  /** A turn: a run whose conversation is every earlier turn's, then `message`. */
  send(message: string, options: SendOptions): AsyncGenerator<Step, LoopOutcome, undefined>;
  /** Resumes the paused (or interrupted) last turn; it stays one turn. */
  resume(decisions: Readonly<Record<string, ResumeDecision>>, options: SendOptions): AsyncGenerator<Step, LoopOutcome, undefined>;
  /** The messages so far: every finished turn's, each ending with its answer as the assistant's reply. */
  history(): Promise<Message[]>;
  turns(): Promise<Turn[]>;
  /** The whole chat's usage. */
  usage(): Promise<Usage>;
}

export class ConversationError extends LoopletError {
  override readonly name = 'ConversationError';
  constructor(message: string, readonly code: 'busy' | 'nothing_to_resume' | 'corrupt' | 'empty_message') {
    super(message);
  }
}

/** The chat as stored (under `looplet-conversation.<id>`: a key file and KV stores accept). */
interface ChatRecord {
  readonly kind: 'looplet.conversation';
  readonly v: 1;
  readonly id: string;
  messages: Message[];
  turns: Turn[];
}

export function conversation({ store, id }: { store: CheckpointStore; id: string }): Conversation {
  if (typeof id !== 'string' || !id) throw new LoopletError('conversation({ store, id }): `id` must be a non-empty string.');
  const key = `looplet-conversation.${id}`;
  let busy = false; // a turn of this chat object is under way (another process is seen through the store)

  const load = async (): Promise<ChatRecord> => {
    const rec = (await store.get(key)) as unknown as ChatRecord | undefined;
    if (rec === undefined) return { kind: 'looplet.conversation', v: 1, id, messages: [], turns: [] };
    if (!rec || rec.kind !== 'looplet.conversation' || !Array.isArray(rec.messages) || !Array.isArray(rec.turns)) {
      throw new ConversationError(`Conversation ${id}: what the store holds under ${key} is not a conversation.`, 'corrupt');
    }
    return rec;
  };
  const save = (rec: ChatRecord) => store.put(key, JSON.parse(JSON.stringify(rec)) as Checkpoint);

  /** Runs a turn to its end, then writes what it left into the chat. */
  async function* turn(rec: ChatRecord, t: Turn, options: SendOptions, resume?: { checkpoint: Checkpoint; decisions: Readonly<Record<string, ResumeDecision>> }): AsyncGenerator<Step, LoopOutcome, undefined> {
    const hooks = [...(options.hooks ?? []), new CheckpointHook({ store, runId: t.runId })];
    const run = composableLoop({
      ...options, hooks, runId: t.runId, trace: { conversationId: id, turn: t.turn },
      ...(resume ? { resume: resume.checkpoint, decisions: resume.decisions } : { task: t.message, history: rec.messages }),
    });
    try {
      return yield* run;
    } finally {
      busy = false;
      await settle(rec, t);
    }
  }

  /** The turn's last checkpoint decides: done adds its messages and answer to the chat; paused waits; any other end keeps what was said. */
  async function settle(rec: ChatRecord, t: Turn): Promise<void> {
    const cp = await store.get(t.runId);
    if (!cp) return; // it stopped before its first save: still `running`, resumed from the start
    const i = rec.turns.indexOf(t);
    const status = cp.status;
    const ended: Turn = { ...t, status, usage: { ...cp.usage }, ...(cp.answer !== undefined ? { answer: cp.answer } : {}) };
    rec.turns[i] = ended;
    if (status === 'done') rec.messages = [...cp.messages, { role: 'assistant', content: typeof cp.answer === 'string' ? cp.answer : JSON.stringify(cp.answer) ?? '' }];
    else if (status !== 'paused' && status !== 'running') rec.messages = answered(cp.messages);
    await save(rec);
  }

  /** The chat, this object marked busy; a last turn that ended without the chat hearing of it (a crash) is settled first. */
  const start = async (): Promise<ChatRecord> => {
    if (busy) throw new ConversationError(`Conversation ${id}: a turn is under way; wait for it to end.`, 'busy');
    busy = true;
    try {
      const rec = await load();
      const last = rec.turns.at(-1);
      if (last?.status === 'running' || last?.status === 'paused') {
        const cp = await store.get(last.runId);
        if (cp && cp.status !== last.status && cp.status !== 'running') await settle(rec, last);
      }
      return rec;
    } catch (err) {
      busy = false;
      throw err;
    }
  };

  return {
    id,
    async *send(message, options) {
      if (typeof message !== 'string' || !message.trim()) throw new ConversationError(`Conversation ${id}: the message is empty.`, 'empty_message');
      const rec = await start();
      const last = rec.turns.at(-1);
      if (last && (last.status === 'paused' || last.status === 'running')) {
        busy = false;
        throw new ConversationError(`Conversation ${id}: turn ${last.turn} is ${last.status}; answer it with resume(decisions) before sending a new message.`, 'busy');
      }
      const n = rec.turns.length + 1;
      const t: Turn = { turn: n, runId: `${id}.turn-${n}`, message, status: 'running', usage: zeroUsage() };
      rec.turns.push(t);
      await save(rec); // a turn is on record before the model is called
      return yield* turn(rec, t, options);
    },
    async *resume(decisions, options) {
      const rec = await start();
      const t = rec.turns.at(-1);
      const cp = t && (await store.get(t.runId));
      if (!t || (t.status !== 'paused' && t.status !== 'running')) {
        busy = false;
        throw new ConversationError(`Conversation ${id}: no turn is paused or interrupted${t ? ` (turn ${t.turn} is ${t.status})` : ''}.`, 'nothing_to_resume');
      }
      // interrupted before its first checkpoint: the turn starts again
      return yield* turn(rec, t, options, cp ? { checkpoint: cp, decisions } : undefined);
    },
    history: async () => (await load()).messages,
    turns: async () => (await load()).turns,
    async usage() {
      const total = zeroUsage();
      for (const t of (await load()).turns) addUsage(total, t.usage);
      return total;
    },
  };
}

/** The messages up to the first call left unanswered (a turn that ended mid-reply): a model is never sent a call without its answer. */
function answered(messages: readonly Message[]): Message[] {
  const done = new Set(messages.filter((m) => m.role === 'tool').map((m) => m.toolCallId));
  const cut = messages.findIndex((m) => m.role === 'assistant' && (m.toolCalls ?? []).some((c) => !done.has(c.id)));
  return cut < 0 ? [...messages] : messages.slice(0, cut);
}
