// A parent agent that delegates: `research` is a subagent (agentTool) with tools of its own. Its
// events reach the parent's trace (printed nested here), its usage is counted in the parent's, and
// when its `fetch_page` needs approval, the parent pauses too — approve, and both finish.
// Scripted models by default; with OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL both use that model.
// `npx tsx examples/research-agent.ts`
import { agentTool, approve, collect, composableLoop, MockLLMBackend, OpenAIBackend, ToolRegistry, type LLMBackend, type LoopEvent } from 'looplet';

const env = process.env;
const real = (): LLMBackend | undefined => (env.OPENAI_BASE_URL || env.OPENAI_API_KEY ? new OpenAIBackend({ baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL ?? 'gpt-4o-mini' }) : undefined);

const PAGES: Record<string, string> = {
  'https://example.org/otters': 'Sea otters hold hands while they sleep so they do not drift apart.',
  'https://example.org/beavers': 'Beavers build dams that can be seen from space.',
};

const researchTools = new ToolRegistry()
  .register({
    name: 'search', description: 'Search for pages about a topic.',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    execute: ({ query }) => Object.keys(PAGES).filter((u) => u.includes(String(query).toLowerCase().replace(/s?$/, ''))),
  })
  .register({
    name: 'fetch_page', description: 'Read a page.', needsApproval: true,
    parameters: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
    execute: ({ url }) => PAGES[String(url)] ?? 'not found',
  });

const research = agentTool({
  name: 'research',
  description: 'Research a topic on the web and report one fact.',
  parameters: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
  task: ({ topic }) => `Find one surprising fact about ${topic}.`,
  tools: researchTools,
  config: { maxSteps: 6 },
  llm: real() ?? new MockLLMBackend([
    { toolCalls: [{ id: 's1', name: 'search', arguments: { query: 'otters' } }], usage: { inputTokens: 90, outputTokens: 12, totalTokens: 102 } },
    (req) => ({ toolCalls: [{ id: 'f1', name: 'fetch_page', arguments: { url: JSON.parse(req.messages.at(-1)!.content)[0] } }], usage: { inputTokens: 130, outputTokens: 14, totalTokens: 144 } }),
    (req) => ({ toolCalls: [{ id: 'r1', name: 'done', arguments: { answer: req.messages.at(-1)!.content } }], usage: { inputTokens: 170, outputTokens: 20, totalTokens: 190 } }),
  ]),
});

const llm = real() ?? new MockLLMBackend([
  { toolCalls: [{ id: 'p1', name: 'research', arguments: { topic: 'otters' } }], usage: { inputTokens: 80, outputTokens: 10, totalTokens: 90 } },
  (req) => ({ toolCalls: [{ id: 'p2', name: 'done', arguments: { answer: `Did you know? ${req.messages.at(-1)!.content}` } }], usage: { inputTokens: 120, outputTokens: 18, totalTokens: 138 } }),
]);

const show: { onEvent(e: LoopEvent): void } = {
  onEvent: (e) => { if (e.type === 'step') console.log(`${e.parentRunId ? '    ↳ research ' : ''}${e.record.status === 'paused' ? '⏸' : '✓'} #${e.record.index} ${e.record.toolCall.name}`); },
};
const task = 'Tell me one surprising fact about otters.';
const first = await collect(composableLoop({ llm, tools: [research], task, hooks: [show] }));
for (const p of first.outcome.pending ?? []) console.log(`\n‖ waiting: ${p.reason}\n  approving…\n`);
const end = first.outcome.status === 'paused'
  ? await collect(composableLoop({ llm, tools: [research], resume: first.outcome.checkpoint!, hooks: [show], decisions: Object.fromEntries(first.outcome.pending!.map((p) => [p.id, approve()])) }))
  : first;
const u = end.outcome.usage;
console.log(`\n${end.outcome.status}: ${JSON.stringify(end.outcome.answer)}`);
console.log(`tokens: ${u.totalTokens} in all, ${u.subagents?.totalTokens ?? 0} of them the subagent's`);
