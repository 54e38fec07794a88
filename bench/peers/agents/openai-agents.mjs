import { Agent, OpenAIChatCompletionsModel, run as runAgent, tool, setTracingDisabled } from '@openai/agents';
import OpenAI from 'openai';
export async function run(baseURL, maxSteps = 10) {
  setTracingDisabled(true);
  // a model bound to this endpoint (a default client would be cached across runs)
  const model = new OpenAIChatCompletionsModel(new OpenAI({ baseURL, apiKey: 'sk-bench' }), 'gpt-4o-mini');
  const agent = new Agent({
    name: 'bench', model, instructions: 'Use the tools.',
    tools: [
      tool({ name: 'greet', description: 'Greet someone.', parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false }, strict: false, execute: async ({ name }) => `Hello, ${name}!` }),
      tool({ name: 'add', description: 'Add two numbers.', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false }, strict: false, execute: async ({ a, b }) => String(a + b) }),
    ],
  });
  const result = await runAgent(agent, 'Greet Ann, add 2 and 3, then finish.', { maxTurns: maxSteps + 1 });
  return result.finalOutput;
}
