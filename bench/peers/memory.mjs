// Heap over a 10,000-step run with compaction on: it must stay bounded. Run with --expose-gc.
import { composableLoop, compactChain, pruneToolResults, ThresholdCompactHook, ToolRegistry, truncate } from '../../dist/index.js';

export async function memoryTable(N = 10_000) {
  const gc = globalThis.gc ?? (() => {});
  const tools = new ToolRegistry().register({ name: 'read', description: 'Read a record.', parameters: { type: 'object', properties: { i: { type: 'integer' } } }, execute: ({ i }) => `record ${i}: ${'lorem ipsum '.repeat(20)}` });
  let i = 0;
  const llm = { generate: async () => (++i > N ? { toolCalls: [{ id: 'd', name: 'done', arguments: '{"answer":1}' }] } : { toolCalls: [{ id: `c${i}`, name: 'read', arguments: `{"i":${i}}` }] }) };
  const samples = [];
  const hook = new ThresholdCompactHook({ budgetTokens: 8000, strategy: compactChain(pruneToolResults({ keepLast: 8 }), truncate({ keepFirst: 1, keepLast: 40 })) });
  const probe = { shouldStop: (ctx) => { if (ctx.stepCount % 1000 === 0) { gc(); samples.push([ctx.stepCount, process.memoryUsage().heapUsed]); } } };
  gc();
  const base = process.memoryUsage().heapUsed;
  // steps are consumed and dropped, as a long-running caller would (collect() would keep them all)
  const run = composableLoop({ llm, tools, task: 'Read everything.', config: { maxSteps: N + 1 }, hooks: [hook, probe] });
  let r;
  while (!(r = await run.next()).done);
  const outcome = r.value;
  const mb = (b) => (b / 1024 / 1024).toFixed(1);
  void base;
  const first = samples[0]?.[1] ?? 0;
  const rows = samples.map(([s, h]) => `| ${s} | ${mb(h)} MB | ${h >= first ? '+' : ''}${mb(h - first)} MB |`).join('\n');
  const table = `| step | heap used (after gc) | growth since step ${samples[0]?.[0]} |\n|---|---|---|\n${rows}\n\nRun ended ${outcome.status} after ${outcome.steps} steps.`;
  return { table, growthMB: Math.max(0, ...samples.map(([, h]) => (h - first) / 1024 / 1024)), steps: outcome.steps };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await memoryTable()).table);
