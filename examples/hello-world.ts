// The quickstart agent: greets two people, then finishes.
// With OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL set it talks to that endpoint (OpenAI,
// or a local Ollama: OPENAI_BASE_URL=http://127.0.0.1:11434/v1 OPENAI_MODEL=llama3.1);
// otherwise it runs on the scripted backend, so it needs no API key: `npm start`.
import { composableLoop, doneTool, MockLLMBackend, OpenAIBackend, ToolRegistry, type LLMBackend, type LoopOutcome } from 'looplet';

const tools = new ToolRegistry()
  .register({
    name: 'greet',
    description: 'Greet someone.',
    parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    execute: ({ name }) => ({ greeting: `Hello, ${name}!` }),
  })
  .register(doneTool());

const env = process.env;
const real = env.OPENAI_BASE_URL || env.OPENAI_API_KEY;

// What a model would answer, scripted: two greetings in one reply, then done.
const scripted = new MockLLMBackend([
  {
    toolCalls: [
      { id: 'call_1', name: 'greet', arguments: '{"name":"Alice"}' },
      { id: 'call_2', name: 'greet', arguments: '{"name":"Bob"}' },
    ],
    usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 },
  },
  {
    toolCalls: [{ id: 'call_3', name: 'done', arguments: { answer: 'Greeted Alice and Bob.' } }],
    usage: { inputTokens: 190, outputTokens: 12, totalTokens: 202 },
  },
]);

const llm: LLMBackend = real
  ? new OpenAIBackend({ baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL ?? 'gpt-4o-mini' })
  : scripted;
console.log(real ? `model: ${env.OPENAI_MODEL ?? 'gpt-4o-mini'} at ${env.OPENAI_BASE_URL ?? 'api.openai.com'}\n` : 'model: scripted (set OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL for a real one)\n');

// How the run ended: the answer, or what went wrong (a model endpoint that is down says so here).
const ending = (o: LoopOutcome) => (o.status === 'done' ? JSON.stringify(o.answer) : o.error ? `${o.error.kind}: ${o.error.message}` : o.reason);
const report = {
  onLoopEnd: (_ctx: unknown, outcome: LoopOutcome) =>
    console.log(`\n${outcome.status}: ${ending(outcome)} (${outcome.steps} steps, ${outcome.usage.totalTokens} tokens)`),
};

for await (const step of composableLoop({ llm, tools, task: 'Greet Alice and Bob, then finish.', config: { maxSteps: 5 }, hooks: [report] })) {
  console.log(step.pretty()); // #1 ✓ greet(name='Alice') → 1 keys [0ms]
}
