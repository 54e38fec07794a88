import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
export async function run(baseURL, maxSteps = 10) {
  const openai = createOpenAI({ baseURL, apiKey: 'sk-bench' });
  const { text } = await generateText({
    model: openai.chat('gpt-4o-mini'),
    tools: {
      greet: tool({ description: 'Greet someone.', inputSchema: jsonSchema({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }), execute: async ({ name }) => `Hello, ${name}!` }),
      add: tool({ description: 'Add two numbers.', inputSchema: jsonSchema({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] }), execute: async ({ a, b }) => a + b }),
    },
    stopWhen: stepCountIs(maxSteps + 1),
    prompt: 'Greet Ann, add 2 and 3, then finish.',
  });
  return text;
}
