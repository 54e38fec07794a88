// Conversations: turns that remember, persisted in any checkpoint store.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../lib/stores/file.node.ts';
import {
  ApprovalHook, approve, collect, conversation, ConversationError, memoryStore, ThresholdCompactHook, ToolRegistry, truncate,
  type LLMBackend, type LLMRequest, type LLMResponse, type LoopEvent,
} from '../lib/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A model that answers the latest user message: `remember X` saves X with a tool; `recall` says what it saved; anything else is echoed. */
function chatModel(): LLMBackend & { requests: LLMRequest[] } {
  const requests: LLMRequest[] = [];
  return {
    requests,
    async generate(req) {
      requests.push({ ...req, messages: JSON.parse(JSON.stringify(req.messages)) });
      const lastUser = [...req.messages].reverse().find((m) => m.role === 'user')!.content;
      const i = req.messages.findLastIndex((m) => m.role === 'user');
      const toolsSince = req.messages.slice(i).filter((m) => m.role === 'tool');
      const usage = { inputTokens: 10 * req.messages.length, outputTokens: 5, totalTokens: 10 * req.messages.length + 5 };
      const done = (answer: string): LLMResponse => ({ toolCalls: [{ id: `d${requests.length}`, name: 'done', arguments: { answer } }], usage });
      if (lastUser.startsWith('remember ')) return toolsSince.length ? done(`saved: ${toolsSince[0]!.content}`) : { toolCalls: [{ id: `s${requests.length}`, name: 'save_note', arguments: { note: lastUser.slice(9) } }], usage };
      if (lastUser === 'recall') {
        const notes = req.messages.filter((m) => m.role === 'tool' && m.name === 'save_note').map((m) => m.content);
        return done(`you told me: ${notes.join(', ') || 'nothing'}`);
      }
      return done(`echo: ${lastUser}`);
    },
  };
}
const notes = (opts: { approve?: boolean } = {}) => new ToolRegistry().register({
  name: 'save_note', description: 'Save a note.', parameters: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
  ...(opts.approve ? { needsApproval: true } : {}), execute: ({ note }) => String(note),
});

describe('conversation', () => {
  it('each turn starts from every earlier turn: the same messages, byte for byte, then the new one', async () => {
    const store = memoryStore();
    const llm = chatModel();
    const chat = conversation({ store, id: 'c1' });
    const one = await collect(chat.send('remember the milk', { llm, tools: notes() }));
    expect(one.outcome).toMatchObject({ status: 'done', answer: 'saved: the milk' });
    const turn1Last = llm.requests.at(-1)!.messages;
    const two = await collect(chat.send('recall', { llm, tools: notes() }));
    expect(two.outcome.answer).toBe('you told me: the milk');
    const turn2First = llm.requests.at(-1)!.messages;
    // provider prompt caching keeps working: turn 2 starts with exactly what turn 1 sent
    expect(JSON.stringify(turn2First.slice(0, turn1Last.length))).toBe(JSON.stringify(turn1Last));
    // then turn 1's end (its done call and result, its answer as the assistant's reply) and the new message
    const added = turn2First.slice(turn1Last.length);
    expect(added.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant', 'user']);
    expect(added.slice(2).map((m) => m.content)).toEqual(['saved: the milk', 'recall']);
    const history = await chat.history();
    expect(history.at(-1)).toEqual({ role: 'assistant', content: 'you told me: the milk' });
    expect(history.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['remember the milk', 'recall']);
  });

  it('turns() reports each turn with its own usage; usage() the whole chat', async () => {
    const store = memoryStore();
    const chat = conversation({ store, id: 'c2' });
    const llm = chatModel();
    await collect(chat.send('hello', { llm, tools: notes() }));
    await collect(chat.send('remember bread', { llm, tools: notes() }));
    const turns = await chat.turns();
    expect(turns.map((t) => [t.turn, t.runId, t.message, t.status, t.answer])).toEqual([
      [1, 'c2.turn-1', 'hello', 'done', 'echo: hello'],
      [2, 'c2.turn-2', 'remember bread', 'done', 'saved: bread'],
    ]);
    expect(turns[0]!.usage.inputTokens).toBe(10);
    expect(turns[1]!.usage.inputTokens).toBe(10 * 5 + 10 * 7); // its two model calls, over turn 1's messages and its own
    expect((await chat.usage()).inputTokens).toBe(turns[0]!.usage.inputTokens + turns[1]!.usage.inputTokens);
  });

  it('a paused turn holds the chat: a new message is refused without calling the model; resume keeps it one turn', async () => {
    const store = memoryStore();
    const llm = chatModel();
    const chat = conversation({ store, id: 'c3' });
    const first = await collect(chat.send('remember the keys', { llm, tools: notes({ approve: true }) }));
    expect(first.outcome.status).toBe('paused');
    const calls = llm.requests.length;
    const history = await chat.history();
    await expect(collect(chat.send('recall', { llm, tools: notes({ approve: true }) }))).rejects.toMatchObject({ name: 'ConversationError', code: 'busy' });
    expect(llm.requests.length).toBe(calls);
    expect(await chat.history()).toEqual(history);
    const next = await collect(chat.resume({ [first.outcome.pending![0]!.id]: approve() }, { llm, tools: notes({ approve: true }) }));
    expect(next.outcome).toMatchObject({ status: 'done', answer: 'saved: the keys' });
    expect((await chat.turns()).map((t) => [t.turn, t.status])).toEqual([[1, 'done']]);
    await expect(collect(chat.resume({}, { llm, tools: notes() }))).rejects.toMatchObject({ code: 'nothing_to_resume' });
  });

  it('one chat object runs one turn at a time', async () => {
    const chat = conversation({ store: memoryStore(), id: 'c4' });
    const slow: LLMBackend = { generate: () => new Promise((ok) => setTimeout(() => ok({ toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'slow' } }] }), 50)) };
    const a = collect(chat.send('one', { llm: slow, tools: [] }));
    await expect(collect(chat.send('two', { llm: slow, tools: [] }))).rejects.toBeInstanceOf(ConversationError);
    expect((await a).outcome.answer).toBe('slow');
    expect((await collect(chat.send('two', { llm: slow, tools: [] }))).outcome.answer).toBe('slow');
  });

  it("trace events carry the conversation id and the turn; a turn that failed keeps what was said, never a call without its answer", async () => {
    const store = memoryStore();
    const chat = conversation({ store, id: 'c5' });
    const events: LoopEvent[] = [];
    await collect(chat.send('hello', { llm: chatModel(), tools: notes(), hooks: [{ onEvent: (e) => void events.push(e) }] }));
    expect(new Set(events.map((e) => `${e.conversationId}#${e.turn}`))).toEqual(new Set(['c5#1']));
    // a model that asks for a tool, then breaks: the turn ends in error mid-reply
    let n = 0;
    const broken: LLMBackend = { async generate() { if (n++ === 0) return { toolCalls: [{ id: 'x1', name: 'save_note', arguments: { note: 'n' } }, { id: 'x2', name: 'save_note', arguments: { note: 'm' } }] }; throw new Error('model down'); } };
    const failed = await collect(chat.send('remember n', { llm: broken, tools: notes(), config: { parallelToolCalls: false } }));
    expect(failed.outcome.status).toBe('error');
    const history = await chat.history();
    const answeredIds = new Set(history.filter((m) => m.role === 'tool').map((m) => m.toolCallId));
    for (const m of history) for (const c of m.toolCalls ?? []) expect(answeredIds.has(c.id)).toBe(true);
    expect((await collect(chat.send('recall', { llm: chatModel(), tools: notes() }))).outcome.status).toBe('done');
  });

  it('continues in another process from a file store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'looplet-chat-'));
    const script = join(dir, 'turn.mts');
    await writeFile(script, `
      import { collect, conversation, MockLLMBackend, ToolRegistry } from ${JSON.stringify(join(ROOT, 'lib/index.ts'))};
      import { fileStore } from ${JSON.stringify(join(ROOT, 'lib/stores/file.node.ts'))};
      const chat = conversation({ store: fileStore(${JSON.stringify(join(dir, 'store'))}), id: 'shared' });
      const message = process.argv[2];
      const llm = { async generate(req) {
        const users = req.messages.filter((m) => m.role === 'user').map((m) => m.content);
        return { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: users.join(' + ') } }] };
      } };
      const { outcome } = await collect(chat.send(message, { llm, tools: [] }));
      console.log(JSON.stringify({ answer: outcome.answer, turns: (await chat.turns()).length }));`);
    const run = async (msg: string) => JSON.parse((await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), [script, msg], { cwd: ROOT })).stdout.trim()) as { answer: string; turns: number };
    expect(await run('first')).toEqual({ answer: 'first', turns: 1 });
    expect(await run('second')).toEqual({ answer: 'first + second', turns: 2 });
    const chat = conversation({ store: fileStore(join(dir, 'store')), id: 'shared' });
    const history = await chat.history();
    expect(history.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['first', 'second']);
    expect(history.at(-1)).toEqual({ role: 'assistant', content: 'first + second' });
    expect((await chat.turns()).map((t) => t.answer)).toEqual(['first', 'first + second']);
  }, 60_000);

  it('compaction hooks compact across turns: a long chat still fits', async () => {
    const chat = conversation({ store: memoryStore(), id: 'long' });
    const llm = chatModel();
    const hooks = [new ThresholdCompactHook({ budgetTokens: 400, threshold: 0.5, strategy: truncate({ keepFirst: 1, keepLast: 4 }) })];
    for (let i = 0; i < 8; i++) await collect(chat.send(`message number ${i} ${'padding '.repeat(20)}`, { llm, tools: notes(), hooks }));
    const last = llm.requests.at(-1)!.messages;
    expect(last.length).toBeLessThan(8 * 4); // not every turn's messages: the earlier turns were compacted
    expect(last.at(-1)!.content).toContain('message number 7');
    expect(last[0]!.content).toContain('message number 0'); // the first kept, as truncate keeps it
    expect((await chat.turns()).every((t) => t.status === 'done')).toBe(true);
  });

  it('refuses an empty message, and a store entry that is not a conversation', async () => {
    const store = memoryStore();
    await expect(collect(conversation({ store, id: 'x' }).send('  ', { llm: chatModel(), tools: [] }))).rejects.toMatchObject({ code: 'empty_message' });
    await store.put('looplet-conversation.bad', { nope: true } as never);
    await expect(conversation({ store, id: 'bad' }).history()).rejects.toMatchObject({ code: 'corrupt' });
  });
});
