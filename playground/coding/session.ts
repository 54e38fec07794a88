// The coding agent's browser host: the agent definition the terminal uses (agent.ts), over a
// workspace in OPFS (IndexedDB where the page cannot write OPFS) and a `run` that executes
// JavaScript in a Web Worker. Every message is a chat turn with its checkpoints in IndexedDB, so
// a run paused for approval, or cut off by a reload, is still there after one.
import { conversation, type Checkpoint, type Hook, type LLMBackend, type LoopOutcome, type ResumeDecision, type Step } from 'looplet';
import { indexedDBStore } from 'looplet/idb';
import { codingAgent, type CodingAgent } from '../../examples/coding-agent/agent.ts';
import { browserWorkspace, type BrowserWorkspace } from '../../examples/coding-agent/browser-workspace.ts';
import { planResume } from '../../examples/coding-agent/resume.ts';
import { WORKER_RUN_HOST, workerRun } from '../../examples/coding-agent/worker-run.ts';
import { pruneTrace } from './trace.ts';

/** The workspace's path as the agent sees it: a virtual root, the one absolute path commands may name. */
export const ROOT = '/workspace';
export const CHECKPOINT_DB = 'looplet-playground-coding';
export const WORKSPACE_NAME = 'looplet-playground-coding-files'; // an OPFS folder, or an IndexedDB database: not the checkpoints' own
const CHATS = 'looplet-playground-coding:chats';

const store = indexedDBStore({ dbName: CHECKPOINT_DB });

/** OPFS, or IndexedDB when OPFS cannot be written here (or `?workspace=indexeddb` asks for it). */
export const workspace: Promise<BrowserWorkspace> = browserWorkspace(WORKSPACE_NAME, {
  prefer: new URLSearchParams(location.search).get('workspace') === 'indexeddb' ? 'indexeddb' : 'opfs',
});

export interface TurnOptions {
  readonly llm: LLMBackend;
  /** A real model: it also summarises old turns when compacting. */
  readonly real: boolean;
  readonly jsonMode: boolean;
  readonly contextBudget: number;
  /** The page's own hooks for a run (the panel, the saved trace). */
  readonly hooks: (chat: string, runId: string) => Hook[];
}

async function agent(o: TurnOptions): Promise<CodingAgent> {
  const ws = await workspace;
  return codingAgent({
    workspace: ws, run: workerRun({ workspace: ws, root: ROOT }), root: ROOT, runHost: WORKER_RUN_HOST,
    jsonMode: o.jsonMode, contextBudget: o.contextBudget, ...(o.real ? { summarizer: o.llm } : {}),
  });
}

async function drive(run: AsyncGenerator<Step, LoopOutcome>): Promise<LoopOutcome> {
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}

/** This tab's chats, oldest first; the last is the one the page continues. */
export function chats(): string[] {
  return JSON.parse(localStorage.getItem(CHATS) ?? '[]') as string[];
}

export async function newChat(): Promise<string> {
  const id = crypto.randomUUID();
  const all = [...chats(), id];
  localStorage.setItem(CHATS, JSON.stringify(all));
  await pruneTrace(all);
  return id;
}

/** A chat's turn's run id is `<chat>.turn-<n>`: the chat it belongs to. */
export const chatOf = (runId: string): string | undefined => /^(.*)\.turn-\d+$/.exec(runId)?.[1];

/** A new turn of `chat`: the message is the task (the first) or a follow-up. */
export async function send(chat: string, message: string, o: TurnOptions): Promise<LoopOutcome> {
  const a = await agent(o);
  const c = conversation({ store, id: chat });
  const runId = `${chat}.turn-${(await c.turns()).length + 1}`;
  return drive(c.send(message, { llm: o.llm, tools: a.tools, config: a.config, hooks: [...a.hooks, ...o.hooks(chat, runId)] }));
}

/** Resumes a paused turn with a human's decisions. The run keeps its own config (system prompt, tool-call mode) from its checkpoint. */
export async function resume(runId: string, decisions: Record<string, ResumeDecision>, o: TurnOptions): Promise<LoopOutcome> {
  const chat = chatOf(runId);
  if (!chat) throw new Error(`${runId} is not a turn of a coding chat.`);
  const a = await agent(o);
  const saved = await store.get(runId);
  return drive(conversation({ store, id: chat }).resume(decisions, { llm: o.llm, tools: a.tools, hooks: [...a.hooks, ...o.hooks(chat, runId)], ...(saved ? {} : { config: a.config }) }));
}

/**
 * The last turn of `chat` when a reload cut it off mid-run, with its checkpoint if it saved one.
 * Its checkpoint says `running` (a turn resumed after a pause is still `paused` in the chat's own
 * record until it ends), or it has none yet.
 */
export async function interrupted(chat: string): Promise<{ runId: string; checkpoint?: Checkpoint } | undefined> {
  const last = (await conversation({ store, id: chat }).turns()).at(-1);
  if (last?.status !== 'running' && last?.status !== 'paused') return undefined;
  const checkpoint = await store.get(last.runId);
  if (checkpoint ? checkpoint.status !== 'running' : last.status !== 'running') return undefined;
  return { runId: last.runId, ...(checkpoint ? { checkpoint } : {}) };
}

/** Goes on with a cut-off turn: calls safe to repeat run again; a `run` or `edit` it cut off waits for approval. */
export async function continueTurn(runId: string, checkpoint: Checkpoint | undefined, o: TurnOptions): Promise<LoopOutcome> {
  return resume(runId, checkpoint ? planResume(checkpoint, undefined).decisions : {}, o);
}
