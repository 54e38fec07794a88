// What README's snippets mean by `llm`, `tools`, `task` and `hooks` when they use these names
// without declaring them ("any backend, tool set and task: the quickstart's, say"). The README
// test imports from here only the names a snippet uses and does not declare. A scripted model,
// so that each snippet that runs a loop runs it for real: search(query='cats') → 12 items, done.
import { MockLLMBackend, ToolRegistry, type Hook } from 'looplet';

export const tools = new ToolRegistry().register({
  name: 'search',
  description: 'Search the docs.',
  parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  execute: ({ query }) => Array.from({ length: 12 }, (_, i) => `${query} ${i + 1}`),
});

export const llm = new MockLLMBackend([
  { toolCalls: [{ name: 'search', arguments: { query: 'cats' } }] },
  { toolCalls: [{ name: 'done', arguments: { answer: 'Found 12 pages about cats.' } }] },
]);

export const task = 'Find pages about cats.';

export const hooks: Hook[] = [];
