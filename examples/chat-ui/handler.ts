// The chat's HTTP API, as a web-standard handler (Node, Deno, a Worker): POST /api/chat is what
// `useChat`'s DefaultChatTransport calls; GET /api/chats/:id gives the page a chat's messages
// after a reload. Each chat is a looplet conversation; a paused turn waits in the store.
import { readUIMessageStream, type UIMessage, type UIMessageChunk as AIChunk } from 'ai';
import { conversation, type CheckpointStore, type LLMBackend } from 'looplet';
import { decisionsFromUIMessages, lastUserText, toUIMessageStream, uiMessageStreamResponse, type UIMessageChunk } from 'looplet/ui';
import { SYSTEM, tools } from './agent.ts';

export interface ChatServerOptions {
  store: CheckpointStore;
  llm: LLMBackend;
  /** Signs each pending call: an approval the server did not ask for is refused. */
  approvalSecret: string;
}

/** What a chat's page shows after a reload; kept with the conversation it mirrors. */
export interface MessageStore {
  get(chatId: string): Promise<UIMessage[] | undefined>;
  put(chatId: string, messages: UIMessage[]): Promise<void>;
}

export function memoryMessages(): MessageStore {
  const chats = new Map<string, UIMessage[]>();
  return { get: async (id) => chats.get(id), put: async (id, m) => void chats.set(id, m) };
}

const json = (body: unknown, status = 200) => Response.json(body, { status });

export function chatHandler({ store, llm, approvalSecret }: ChatServerOptions, messages: MessageStore = memoryMessages()) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const get = /^\/api\/chats\/([\w-]{1,100})$/.exec(url.pathname);
    if (request.method === 'GET' && get) return json({ messages: (await messages.get(get[1]!)) ?? [] });
    if (request.method !== 'POST' || url.pathname !== '/api/chat') return json({ error: 'not_found' }, 404);

    let body: { id?: unknown; messages?: unknown };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return json({ error: 'bad_request', message: 'The body is not JSON.' }, 400);
    }
    if (typeof body.id !== 'string' || !/^[\w-]{1,100}$/.test(body.id) || !Array.isArray(body.messages)) return json({ error: 'bad_request', message: 'Expected { id, messages }.' }, 400);
    const id = body.id;
    const sent = body.messages as UIMessage[];
    const chat = conversation({ store, id });
    const options = { llm, tools, approvalSecret, config: { system: SYSTEM, maxSteps: 8 } };

    // Approvals given in the page resume the paused turn; otherwise the last message is a new turn.
    const decisions = decisionsFromUIMessages(sent);
    const text = lastUserText(sent);
    if (!Object.keys(decisions).length && !text) return json({ error: 'bad_request', message: 'Nothing to answer: no new message and no approval.' }, 400);
    // A refusal (a stale or forged approval, a busy chat) arrives in the stream as an `error`
    // chunk with its code: useChat shows it, and the stored chat is as it was.
    const chunks = toUIMessageStream((hook, signal) => {
      const withHook = { ...options, signal, hooks: [hook] };
      return Object.keys(decisions).length ? chat.resume(decisions, withHook) : chat.send(text!, withHook);
    });
    const [page, kept] = chunks.tee();
    void keep(id, sent, kept, messages);
    return uiMessageStreamResponse(page);
  };
}

/** Mirrors the streamed assistant message into the message store, the way the page builds it. */
async function keep(id: string, sent: UIMessage[], stream: ReadableStream<UIMessageChunk>, store: MessageStore): Promise<void> {
  const last = sent.at(-1);
  const continuing = last?.role === 'assistant' ? last : undefined;
  const base = continuing ? sent.slice(0, -1) : sent;
  for await (const message of readUIMessageStream({ stream: stream as ReadableStream<AIChunk>, ...(continuing ? { message: continuing } : {}) })) {
    await store.put(id, [...base, message]);
  }
}
