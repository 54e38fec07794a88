import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { tool } from '@langchain/core/tools';
export async function run(baseURL, maxSteps = 10) {
  const llm = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-bench', configuration: { baseURL }, maxRetries: 0 });
  const greet = tool(async ({ name }) => `Hello, ${name}!`, { name: 'greet', description: 'Greet someone.', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
  const add = tool(async ({ a, b }) => String(a + b), { name: 'add', description: 'Add two numbers.', schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } });
  const agent = createReactAgent({ llm, tools: [greet, add] });
  const out = await agent.invoke({ messages: [{ role: 'user', content: 'Greet Ann, add 2 and 3, then finish.' }] }, { recursionLimit: 2 * maxSteps + 5 });
  return out.messages.at(-1).content;
}
