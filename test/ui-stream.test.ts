// looplet/ui against its real consumers: the AI SDK's own chunk schema, stream reader and chat
// class (the one useChat wraps), and AG-UI's own event schemas.
import { Chat } from '@ai-sdk/react';
import { safeValidateTypes } from '@ai-sdk/provider-utils';
import { EventSchemas } from '@ag-ui/core/schemas';
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses, readUIMessageStream, uiMessageChunkSchema, type UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { agentTool, CheckpointHook, deny as denyCall, collect, composableLoop, LLMError, memoryStore, MockLLMBackend, resumeFrom, type Hook } from 'looplet';
import { decisionsFromAGUI, decisionsFromUIMessages, lastUserText, toAGUIStream, toUIMessageStream, uiMessageStreamResponse, type AGUIEvent } from 'looplet/ui';
import { scriptedModel } from '../examples/chat-ui/agent.ts';
import { chatHandler, memoryMessages } from '../examples/chat-ui/handler.ts';

async function all<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of stream) out.push(x);
  return out;
}

const refundTools = (refunds: string[]) => [
  { name: 'lookup', description: 'Look up an order.', parameters: { type: 'object', properties: { order: { type: 'string' } } }, execute: () => ({ amount: 42 }) },
  {
    name: 'refund', description: 'Refund.', parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] }, needsApproval: true,
    execute: ({ order }: Record<string, unknown>) => { refunds.push(String(order)); return { refunded: order }; },
  },
];

/** Looks up, then refunds (paused), then answers with what the refund returned. */
const refundScript = (): MockLLMBackend => new MockLLMBackend([
  { text: 'Checking the order.', toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"order":"A1"}' }] },
  { reasoning: 'It exists; refund it.', toolCalls: [{ id: 'c2', name: 'refund', arguments: '{"order":"A1"}' }] },
  (req) => ({ toolCalls: [{ id: 'c3', name: 'done', arguments: { answer: `Done: ${req.messages.at(-1)!.content}` } }] }),
]);

describe('toUIMessageStream: the AI SDK reads it', () => {
  it('every chunk passes the ai package\'s own schema, and readUIMessageStream builds the message: text, reasoning, tool parts, an approval request with its signature', async () => {
    const store = memoryStore();
    const refunds: string[] = [];
    const llm = refundScript();
    const start = (hook: Hook) => composableLoop({ llm, tools: refundTools(refunds), task: 'Refund A1', runId: 'r1', approvalSecret: 'k', hooks: [hook, new CheckpointHook({ store, runId: 'r1' })] });
    const [a, b] = toUIMessageStream(start).tee();
    const chunks = await all(a);
    for (const c of chunks) expect((await safeValidateTypes({ value: c, schema: uiMessageChunkSchema() })).success, JSON.stringify(c)).toBe(true);
    expect(chunks[0]).toEqual({ type: 'start', messageId: 'r1' });
    expect(chunks.map((c) => c.type)).toEqual(expect.arrayContaining(['start-step', 'text-start', 'text-delta', 'text-end', 'reasoning-start', 'reasoning-delta', 'reasoning-end', 'tool-input-start', 'tool-input-delta', 'tool-input-available', 'tool-output-available', 'tool-approval-request', 'finish-step', 'finish']));
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls', messageMetadata: { looplet: { runId: 'r1', status: 'paused' } } });

    let message: UIMessage | undefined;
    for await (const m of readUIMessageStream({ stream: b as ReadableStream<never> })) message = m;
    const parts = message!.parts;
    expect(message!.id).toBe('r1');
    expect(parts.filter((p) => p.type === 'step-start')).toHaveLength(2);
    expect(parts).toContainEqual(expect.objectContaining({ type: 'text', text: 'Checking the order.' }));
    expect(parts).toContainEqual(expect.objectContaining({ type: 'reasoning', text: 'It exists; refund it.' }));
    expect(parts).toContainEqual(expect.objectContaining({ type: 'tool-lookup', toolCallId: 'c1', state: 'output-available', input: { order: 'A1' }, output: { amount: 42 } }));
    const refund = parts.find((p) => p.type === 'tool-refund') as { state: string; approval: { id: string; signature: string; descriptor: unknown } };
    expect(refund.state).toBe('approval-requested');
    expect(refund.approval.id).toBe('c2');
    expect(refund.approval.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(refund.approval.descriptor).toEqual({ reason: 'refund needs approval' });
    expect(refunds).toEqual([]);

    // The approval the user gives comes back as a signed decision, and the resumed run continues the same message.
    const responded = { ...message!, parts: parts.map((p) => (p.type === 'tool-refund' ? { ...p, state: 'approval-responded', approval: { ...refund.approval, approved: true } } : p)) } as UIMessage;
    const decisions = decisionsFromUIMessages([responded]);
    expect(decisions).toEqual({ c2: { kind: 'approve', signature: refund.approval.signature } });
    const resumed = toUIMessageStream((hook) => resumeFrom(store, 'r1', { llm, tools: refundTools(refunds), decisions, approvalSecret: 'k', hooks: [hook] }));
    let after: UIMessage | undefined;
    for await (const m of readUIMessageStream({ stream: resumed as ReadableStream<never>, message: responded })) after = m;
    expect(after!.id).toBe('r1');
    expect(after!.parts.filter((p) => p.type === 'tool-refund')).toEqual([expect.objectContaining({ state: 'output-available', output: { refunded: 'A1' } })]);
    expect(after!.parts.at(-1)).toMatchObject({ type: 'text', text: 'Done: {"refunded":"A1"}' });
    expect(refunds).toEqual(['A1']);
  });

  it('uiMessageStreamResponse is SSE with the v1 header, ending in [DONE]', async () => {
    const llm = new MockLLMBackend([{ toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'hi' } }] }]);
    const res = uiMessageStreamResponse((hook) => composableLoop({ llm, tools: [], task: 't', hooks: [hook] }), { headers: { 'x-app': '1' } });
    expect(res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-app')).toBe('1');
    const text = await res.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text.split('\n\n').filter(Boolean).every((l) => l.startsWith('data: '))).toBe(true);
    expect(text).toContain('"type":"text-delta","id":"t1","delta":"hi"');
  });

  it('a failing model ends in an error chunk and finish "error"; a refused decision is an error chunk with its code', async () => {
    const llm = new MockLLMBackend([() => { throw new LLMError('auth', 'openai: invalid key'); }]);
    const chunks = await all(toUIMessageStream((hook) => composableLoop({ llm, tools: [], task: 't', hooks: [hook] })));
    expect(chunks.slice(-2)).toEqual([{ type: 'error', errorText: expect.stringContaining('invalid key') }, expect.objectContaining({ type: 'finish', finishReason: 'error' })]);

    const store = memoryStore();
    const refunds: string[] = [];
    await collect(composableLoop({ llm: refundScript(), tools: refundTools(refunds), task: 'Refund', runId: 'r2', approvalSecret: 'k', hooks: [new CheckpointHook({ store, runId: 'r2' })] }));
    const forged = await all(toUIMessageStream((hook) => resumeFrom(store, 'r2', { llm: refundScript(), tools: refundTools(refunds), approvalSecret: 'k', hooks: [hook], decisions: { c2: { kind: 'approve', signature: 'f'.repeat(64) } } })));
    expect(forged.find((c) => c.type === 'error')).toEqual({ type: 'error', errorText: expect.stringMatching(/^bad_signature: /) });
    expect(forged.at(-1)).toMatchObject({ type: 'finish', finishReason: 'error' });
    expect(refunds).toEqual([]);
  });

  it('denied calls are output-denied; JSON-in-text replies are not shown as text; a subagent stays inside its parent\'s tool part', async () => {
    const llm = new MockLLMBackend([
      '{"tool": "refund", "args": {"order": "A1"}}',
      '{"tool": "done", "args": {"answer": "ok"}}',
    ]);
    const deny: Hook = { name: 'deny', preDispatch: () => denyCall('no refunds today') };
    const chunks = await all(toUIMessageStream((hook) => composableLoop({ llm, tools: refundTools([]), task: 't', config: { toolCallMode: 'json' }, hooks: [deny, hook] })));
    expect(chunks).toContainEqual({ type: 'tool-output-denied', toolCallId: expect.any(String) });
    const texts = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : []));
    expect(texts).toEqual(['ok']);

    const research = agentTool({
      name: 'research', description: 'Research.', parameters: { type: 'object' }, task: () => 'find',
      tools: [{ name: 'search', description: 'Search.', parameters: { type: 'object' }, execute: () => 'otters' }],
      llm: new MockLLMBackend([{ toolCalls: [{ id: 's', name: 'search', arguments: {} }] }, { toolCalls: [{ id: 'sd', name: 'done', arguments: { answer: 'otters' } }] }]),
    });
    const parent = new MockLLMBackend([{ toolCalls: [{ id: 'p', name: 'research', arguments: {} }] }, { toolCalls: [{ id: 'pd', name: 'done', arguments: { answer: 'found otters' } }] }]);
    const nested = await all(toUIMessageStream((hook) => composableLoop({ llm: parent, tools: [research], task: 't', hooks: [hook] })));
    const ids = new Set(nested.flatMap((c) => ('toolCallId' in c ? [c.toolCallId] : [])));
    expect([...ids]).toEqual(['p']);
    expect(nested.filter((c) => c.type === 'start')).toHaveLength(1);
  });

  it('decisionsFromUIMessages: approve, deny with or without a reason, only the last assistant message; lastUserText', () => {
    const part = (id: string, approved: boolean, reason?: string) => ({ type: 'tool-refund', toolCallId: id, state: 'approval-responded', input: {}, approval: { id, approved, ...(reason ? { reason } : {}), signature: `s-${id}` } });
    const messages = [
      { role: 'assistant', parts: [part('old', true)] },
      { role: 'user', parts: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'x' }, part('a', true), part('b', false, 'too much'), part('c', false), { type: 'tool-lookup', state: 'output-available' }] },
    ];
    expect(decisionsFromUIMessages(messages)).toEqual({
      a: { kind: 'approve', signature: 's-a' },
      b: { kind: 'reject', reason: 'too much', signature: 's-b' },
      c: { kind: 'reject', reason: 'The user denied this call.', signature: 's-c' },
    });
    expect(decisionsFromUIMessages(messages.slice(0, 2))).toEqual({});
    // model messages: a tool message's tool-approval-response parts
    expect(decisionsFromUIMessages([{ role: 'tool', content: [{ type: 'tool-approval-response', approvalId: 'x', approved: false, reason: 'no' }, { type: 'tool-approval-response', approvalId: 'y', approved: true }] }])).toEqual({
      x: { kind: 'reject', reason: 'no' },
      y: { kind: 'approve' },
    });
    expect(lastUserText(messages.slice(0, 2))).toBe('go');
    expect(lastUserText(messages)).toBeUndefined();
  });
});

describe('useChat\'s chat class against the chat-ui example server', () => {
  /** The Chat useChat wraps, talking to the example's handler through DefaultChatTransport. */
  function setup() {
    const handler = chatHandler({ store: memoryStore(), llm: scriptedModel(0), approvalSecret: 'secret' }, memoryMessages());
    const requests: unknown[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(new URL(String(input), 'http://chat.test'), init);
      requests.push(await req.clone().json());
      return handler(req);
    };
    const chat = new Chat({
      id: 'chat-1',
      transport: new DefaultChatTransport({ api: '/api/chat', fetch }),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    });
    const settled = async () => {
      for (let i = 0; i < 200 && (chat.status === 'submitted' || chat.status === 'streaming'); i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 20)); // an automatic send starts a tick later
      for (let i = 0; i < 200 && (chat.status === 'submitted' || chat.status === 'streaming'); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const tool = (name: string) => chat.lastMessage!.parts.find((p) => p.type === `tool-${name}`) as { state: string; approval?: { id: string }; output?: unknown } | undefined;
    return { chat, handler, requests, settled, tool };
  }

  it('approval-requested → addToolApprovalResponse → the run resumes in the same message → output-available; the next message is turn 2', async () => {
    const { chat, handler, settled, tool } = setup();
    await chat.sendMessage({ text: 'Please refund A1' });
    await settled();
    expect(chat.error).toBeUndefined();
    expect(tool('lookup_order')).toMatchObject({ state: 'output-available', output: { item: 'Blue kettle', amount: 42 } });
    expect(tool('refund')).toMatchObject({ state: 'approval-requested' });
    expect(chat.messages).toHaveLength(2);

    // a reload: the server gives back the same messages, the pending approval included
    const saved = await (await handler(new Request('http://chat.test/api/chats/chat-1'))).json() as { messages: UIMessage[] };
    expect(saved.messages.at(-1)!.parts.find((p) => p.type === 'tool-refund')).toMatchObject({ state: 'approval-requested' });

    await chat.addToolApprovalResponse({ id: tool('refund')!.approval!.id, approved: true });
    await settled();
    expect(chat.error).toBeUndefined();
    expect(chat.messages).toHaveLength(2);
    expect(tool('refund')).toMatchObject({ state: 'output-available', output: { refunded: 'A1', amount: 42 } });
    expect(chat.lastMessage!.parts.at(-1)).toMatchObject({ type: 'text', text: 'Refunded order A1 in full.' });

    await chat.sendMessage({ text: 'Thanks!' });
    await settled();
    expect(chat.messages).toHaveLength(4);
    expect(chat.lastMessage!.id).toBe('chat-1.turn-2');
    expect(chat.lastMessage!.parts.at(-1)).toMatchObject({ type: 'text', text: expect.stringContaining('2 messages from you') });
  });

  it('a denied approval ends as output-denied and nothing is refunded; a forged signature is refused', async () => {
    const { chat, handler, settled, tool } = setup();
    await chat.sendMessage({ text: 'Refund B7' });
    await settled();
    const pending = chat.lastMessage!;

    // a client that edits the signature: the server refuses, the chat keeps its pending call
    const forged = pending.parts.map((p) => (p.type === 'tool-refund' ? { ...p, state: 'approval-responded', approval: { ...(p as { approval: object }).approval, approved: true, signature: '0'.repeat(64) } } : p));
    const res = await handler(new Request('http://chat.test/api/chat', { method: 'POST', body: JSON.stringify({ id: 'chat-1', messages: [...chat.messages.slice(0, -1), { ...pending, parts: forged }] }) }));
    const body = await res.text();
    expect(body).toContain('"errorText":"bad_signature: ');
    expect(body).not.toContain('tool-output-available');

    await chat.addToolApprovalResponse({ id: tool('refund')!.approval!.id, approved: false, reason: 'Not this one' });
    await settled();
    expect(tool('refund')).toMatchObject({ state: 'output-denied' });
    expect(chat.lastMessage!.parts.at(-1)).toMatchObject({ type: 'text', text: 'The refund of B7 was not approved, so nothing was refunded.' });
  });
});

describe('toAGUIStream: AG-UI 1.0 events', () => {
  const valid = (events: AGUIEvent[]) => {
    for (const e of events) {
      const r = EventSchemas.safeParse(e);
      expect(r.success, `${JSON.stringify(e)}: ${r.success ? '' : r.error.message}`).toBe(true);
    }
  };

  it('passes @ag-ui/core\'s schemas; a pause is an interrupt per pending call bound to its toolCallId; decisionsFromAGUI resumes it', async () => {
    const store = memoryStore();
    const refunds: string[] = [];
    const tools = [...refundTools(refunds), { name: 'email', description: 'Email.', parameters: { type: 'object', properties: { to: { type: 'string' } } }, needsApproval: true, execute: (a: Record<string, unknown>) => ({ sent: a.to }) }];
    const llm = new MockLLMBackend([
      { text: 'On it.', toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"order":"A1"}' }] },
      { toolCalls: [{ id: 'c2', name: 'refund', arguments: '{"order":"A1"}' }, { id: 'c3', name: 'email', arguments: '{"to":"ada@example.com"}' }] },
      (req) => ({ toolCalls: [{ id: 'c4', name: 'done', arguments: { answer: req.messages.slice(-2).map((m) => m.content).join(' | ') } }] }),
    ]);
    const events = await all(toAGUIStream((hook) => composableLoop({ llm, tools, task: 'Refund A1', runId: 'r1', approvalSecret: 'k', hooks: [hook, new CheckpointHook({ store, runId: 'r1' })] }), { threadId: 'thread-9' }));
    valid(events);
    expect(events[0]).toMatchObject({ type: 'RUN_STARTED', threadId: 'thread-9', runId: 'r1', protocolVersion: '1.0' });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['STEP_STARTED', 'STEP_FINISHED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END', 'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_RESULT']));
    expect(events).toContainEqual(expect.objectContaining({ type: 'TOOL_CALL_RESULT', toolCallId: 'c1', content: '{"amount":42}', role: 'tool' }));
    const last = events.at(-1) as Extract<AGUIEvent, { type: 'RUN_FINISHED' }>;
    expect(last.type).toBe('RUN_FINISHED');
    if (last.outcome.type !== 'interrupt') throw new Error('expected an interrupt');
    expect(last.outcome.interrupts.map((i) => [i.id, i.reason, i.toolCallId])).toEqual([['c2', 'tool_call', 'c2'], ['c3', 'tool_call', 'c3']]);
    expect(last.outcome.interrupts[0]!.metadata).toMatchObject({ toolName: 'refund', args: { order: 'A1' }, signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(last.usage?.[0]?.totalTokens).toBeTypeOf('number');

    // approve one, edit the other's arguments, each with the signature the interrupt carried
    const [refund, email] = last.outcome.interrupts;
    const decisions = decisionsFromAGUI([
      { interruptId: refund!.id, status: 'resolved', payload: { approved: true }, metadata: { signature: refund!.metadata.signature } },
      { interruptId: email!.id, status: 'resolved', payload: { args: { to: 'grace@example.com' } }, metadata: { signature: email!.metadata.signature } },
    ]);
    expect(decisions.c3).toEqual({ kind: 'edit', args: { to: 'grace@example.com' }, signature: email!.metadata.signature });
    const resumed = await all(toAGUIStream((hook) => resumeFrom(store, 'r1', { llm, tools, decisions, approvalSecret: 'k', hooks: [hook] }), { threadId: 'thread-9' }));
    valid(resumed);
    expect(resumed.at(-1)).toMatchObject({ type: 'RUN_FINISHED', runId: 'r1', outcome: { type: 'success' }, result: '{"refunded":"A1"} | {"sent":"grace@example.com"}' });
    expect(refunds).toEqual(['A1']);
  });

  it('decisionsFromAGUI: cancelled and approved:false reject, true/empty approve, a bare object is the answer, signatures travel', () => {
    expect(decisionsFromAGUI([
      { interruptId: 'a', status: 'cancelled' },
      { interruptId: 'b', status: 'resolved', payload: { approved: false, reason: 'no' }, metadata: { signature: 'sb' } },
      { interruptId: 'c', status: 'resolved' },
      { interruptId: 'd', status: 'resolved', payload: true },
      { interruptId: 'e', status: 'resolved', payload: { color: 'blue' } },
      { interruptId: 'f', status: 'resolved', payload: false },
    ])).toEqual({
      a: { kind: 'reject', reason: 'The user cancelled this call.' },
      b: { kind: 'reject', reason: 'no', signature: 'sb' },
      c: { kind: 'approve' },
      d: { kind: 'approve' },
      e: { kind: 'edit', args: { color: 'blue' } },
      f: { kind: 'reject', reason: 'The user cancelled this call.' },
    });
    expect(decisionsFromAGUI(undefined)).toEqual({});
  });

  it('a subagent\'s run is SUBAGENT_STARTED / FINISHED with its events attributed; errors are RUN_ERROR', async () => {
    const research = agentTool({
      name: 'research', description: 'Research.', parameters: { type: 'object' }, task: () => 'find',
      tools: [{ name: 'search', description: 'Search.', parameters: { type: 'object' }, execute: () => 'otters' }],
      // its call has the same id as the parent's: each run's calls are its own
      llm: new MockLLMBackend([{ text: 'Searching.', toolCalls: [{ id: 'p', name: 'search', arguments: {} }] }, { toolCalls: [{ id: 'sd', name: 'done', arguments: { answer: 'otters' } }] }]),
    });
    const parent = new MockLLMBackend([{ toolCalls: [{ id: 'p', name: 'research', arguments: {} }] }, { toolCalls: [{ id: 'pd', name: 'done', arguments: { answer: 'found otters' } }] }]);
    const events = await all(toAGUIStream((hook) => composableLoop({ llm: parent, tools: [research], task: 't', runId: 'top', hooks: [hook] })));
    valid(events);
    expect(events).toContainEqual(expect.objectContaining({ type: 'SUBAGENT_STARTED', subagentRunId: 'top.p', name: 'research', parentToolCallId: 'p' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'TOOL_CALL_START', toolCallId: 'p', toolCallName: 'search', subagentRunId: 'top.p' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'TOOL_CALL_RESULT', toolCallId: 'p', content: 'otters', subagentRunId: 'top.p' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'SUBAGENT_FINISHED', subagentRunId: 'top.p', result: 'otters', outcome: { type: 'success' } }));
    expect(events.at(-1)).toMatchObject({ type: 'RUN_FINISHED', result: 'found otters' });
    expect(events.filter((e) => e.type === 'RUN_STARTED')).toHaveLength(1);

    const failing = new MockLLMBackend([() => { throw new LLMError('rate_limit', 'slow down'); }]);
    const err = await all(toAGUIStream((hook) => composableLoop({ llm: failing, tools: [], task: 't', hooks: [hook] })));
    valid(err);
    expect(err.at(-1)).toMatchObject({ type: 'RUN_ERROR', code: 'rate_limit', message: expect.stringContaining('slow down') });
  });

  it('cancelling the stream stops the run (its tools see the abort)', async () => {
    let aborted = false;
    let running!: () => void;
    const started = new Promise<void>((r) => { running = r; });
    const slow = { name: 'slow', description: 'Slow.', parameters: { type: 'object' }, execute: (_: unknown, ctx: { signal: AbortSignal }) => new Promise((r) => { running(); ctx.signal.addEventListener('abort', () => { aborted = true; r('x'); }); }) };
    const llm = new MockLLMBackend([{ toolCalls: [{ id: 'a', name: 'slow', arguments: {} }] }]);
    const reader = toAGUIStream((hook, signal) => composableLoop({ llm, tools: [slow], task: 't', signal, hooks: [hook] })).getReader();
    await reader.read();
    await started;
    await reader.cancel(); // resolves once the run has stopped
    expect(aborted).toBe(true);
  });
});
