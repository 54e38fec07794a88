import { composableLoop, collect, OpenAIBackend, ToolRegistry } from '../../../dist/index.js';
export async function run(baseURL, maxSteps = 10) {
  const tools = new ToolRegistry()
    .register({ name: 'greet', description: 'Greet someone.', parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }, execute: ({ name }) => `Hello, ${name}!` })
    .register({ name: 'add', description: 'Add two numbers.', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] }, execute: ({ a, b }) => a + b });
  const llm = new OpenAIBackend({ baseURL, apiKey: 'sk-bench', model: 'gpt-4o-mini', stream: false, maxRetries: 0 });
  const { outcome } = await collect(composableLoop({ llm, tools, task: 'Greet Ann, add 2 and 3, then finish.', config: { maxSteps: maxSteps + 1 } }));
  return outcome.answer ?? outcome.status;
}
