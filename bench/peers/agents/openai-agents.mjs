import { Agent, run as runAgent, tool, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled } from '@openai/agents';
import OpenAI from 'openai';
export async function run(baseURL) {
  setDefaultOpenAIClient(new OpenAI({ baseURL, apiKey: 'sk-bench' }));
  setOpenAIAPI('chat_completions');
  setTracingDisabled(true);
  const agent = new Agent({
    name: 'bench', model: 'gpt-4o-mini', instructions: 'Use the tools.',
    tools: [
      tool({ name: 'greet', description: 'Greet someone.', parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false }, strict: false, execute: async ({ name }) => `Hello, ${name}!` }),
      tool({ name: 'add', description: 'Add two numbers.', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false }, strict: false, execute: async ({ a, b }) => String(a + b) }),
    ],
  });
  const result = await runAgent(agent, 'Greet Ann, add 2 and 3, then finish.', { maxTurns: 10 });
  return result.finalOutput;
}
