// The quickstart agent: greets two people, then finishes.
// Runs on the scripted backend, so it needs no API key: `npm start`.
import { composableLoop, doneTool, MockLLMBackend, ToolRegistry, type LoopOutcome } from 'looplet';

const tools = new ToolRegistry()
  .register({
    name: 'greet',
    description: 'Greet someone.',
    parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    execute: ({ name }) => ({ greeting: `Hello, ${name}!` }),
  })
  .register(doneTool());

// What a model would answer, scripted: two greetings in one reply, then done.
const llm = new MockLLMBackend([
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

const report = {
  onLoopEnd: (_ctx: unknown, outcome: LoopOutcome) =>
    console.log(`\n${outcome.status}: ${JSON.stringify(outcome.answer)} (${outcome.steps} steps, ${outcome.usage.totalTokens} tokens)`),
};

for await (const step of composableLoop({ llm, tools, task: 'Greet Alice and Bob, then finish.', config: { maxSteps: 5 }, hooks: [report] })) {
  console.log(step.pretty()); // #1 ✓ greet(name='Alice') → 1 keys [0ms]
}
