import { collect, composableLoop, MockLLMBackend, ToolRegistry, type Hook, type LoopConfig, type LoopEvent, type MockResponse, type Task } from '../lib/index.ts';

/** A call in a scripted reply. */
export const call = (name: string, args: Record<string, unknown> | string = {}, id?: string) => ({
  ...(id ? { id } : {}),
  name,
  arguments: args,
});

/** A scripted reply making these calls. */
export const reply = (...calls: ReturnType<typeof call>[]) => ({ toolCalls: calls });

export const done = (answer: unknown = 'ok') => reply(call('done', { answer }));

/** A registry with greet/add tools whose executions are counted. */
export function makeTools() {
  const ran: { name: string; args: Record<string, unknown> }[] = [];
  const tools = new ToolRegistry()
    .register({
      name: 'greet',
      description: 'Greet someone.',
      parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
      execute: (args) => {
        ran.push({ name: 'greet', args });
        return { greeting: `Hello, ${String(args.name)}!` };
      },
    })
    .register({
      name: 'add',
      description: 'Add two numbers.',
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      execute: async (args) => {
        ran.push({ name: 'add', args });
        return (args.a as number) + (args.b as number);
      },
    });
  return { tools, ran };
}

/** Records every event. */
export function recorder(): Hook & { events: LoopEvent[] } {
  const events: LoopEvent[] = [];
  return { name: 'recorder', events, onEvent: (e) => void events.push(e) };
}

export async function runScript(
  script: MockResponse[],
  opts: { hooks?: Hook[]; config?: LoopConfig; tools?: ToolRegistry; task?: Task; signal?: AbortSignal; state?: Record<string, unknown> } = {},
) {
  const made = makeTools();
  const tools = opts.tools ?? made.tools;
  const llm = new MockLLMBackend(script);
  const rec = recorder();
  const result = await collect(
    composableLoop({
      llm,
      tools,
      task: opts.task ?? 'Do the thing.',
      config: opts.config,
      hooks: [...(opts.hooks ?? []), rec],
      signal: opts.signal,
      state: opts.state,
    }),
  );
  return { ...result, llm, ran: made.ran, events: rec.events };
}

/** The messages of the request the model received `n`-th (0-based). */
export const sent = (llm: MockLLMBackend, n: number) => llm.requests[n]!.messages;
