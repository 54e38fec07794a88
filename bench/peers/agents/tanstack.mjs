import { chat, maxIterations, streamToText, toolDefinition } from '@tanstack/ai';
import { createOpenaiChatCompletions } from '@tanstack/ai-openai';
export async function run(baseURL, maxSteps = 10) {
  const greet = toolDefinition({ name: 'greet', description: 'Greet someone.', inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }).server(async ({ name }) => `Hello, ${name}!`);
  const add = toolDefinition({ name: 'add', description: 'Add two numbers.', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } }).server(async ({ a, b }) => a + b);
  const stream = chat({
    adapter: createOpenaiChatCompletions('gpt-4o-mini', 'sk-bench', { baseURL }),
    messages: [{ role: 'user', content: 'Greet Ann, add 2 and 3, then finish.' }],
    tools: [greet, add],
    agentLoopStrategy: maxIterations(maxSteps + 1),
  });
  return streamToText(stream);
}
