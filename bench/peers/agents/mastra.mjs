import { Agent } from '@mastra/core/agent';
import { createTool } from '@mastra/core/tools';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
export async function run(baseURL, maxSteps = 10) {
  const openai = createOpenAI({ baseURL, apiKey: 'sk-bench' });
  const agent = new Agent({
    id: 'bench', name: 'bench', instructions: 'Use the tools.', model: openai.chat('gpt-4o-mini'),
    tools: {
      greet: createTool({ id: 'greet', description: 'Greet someone.', inputSchema: z.object({ name: z.string() }), execute: async ({ name }) => `Hello, ${name}!` }),
      add: createTool({ id: 'add', description: 'Add two numbers.', inputSchema: z.object({ a: z.number(), b: z.number() }), execute: async ({ a, b }) => a + b }),
    },
  });
  const res = await agent.generate('Greet Ann, add 2 and 3, then finish.', { maxSteps: maxSteps + 1 });
  return res.text;
}
