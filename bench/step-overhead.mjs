// Per-step overhead of the loop: a run of N steps against an instant in-process model and a
// no-op tool, next to a hand-written minimal loop doing the same work (the floor), in one run.
// Run: npm run build && node bench/step-overhead.mjs [N]
import { collect, composableLoop, ToolRegistry } from '../dist/index.js';

const N = Number(process.argv[2] ?? 10_000);
const reply = (i) => (i > N ? { toolCalls: [{ id: 'd', name: 'done', arguments: '{"answer":1}' }] } : { toolCalls: [{ id: `c${i}`, name: 'noop', arguments: '{"i":1}' }] });

async function looplet(hooks) {
  let i = 0;
  const llm = { generate: async () => reply(++i) };
  const tools = new ToolRegistry().register({ name: 'noop', description: 'No-op.', parameters: { type: 'object', properties: { i: { type: 'number' } } }, execute: () => 1 });
  const { outcome } = await collect(composableLoop({ llm, tools, task: 't', config: { maxSteps: N + 1 }, hooks }));
  if (outcome.status !== 'done') throw new Error(outcome.status);
}

// The floor: call the model, parse the arguments, run the tool, append two messages.
async function floor() {
  let i = 0;
  const llm = { generate: async () => reply(++i) };
  const messages = [{ role: 'user', content: 't' }];
  for (;;) {
    const r = await llm.generate({ messages });
    const c = r.toolCalls[0];
    if (c.name === 'done') break;
    const out = ((args) => 1)(JSON.parse(c.arguments));
    messages.push({ role: 'assistant', content: '', toolCalls: r.toolCalls }, { role: 'tool', content: JSON.stringify(out), toolCallId: c.id });
  }
}

async function time(fn) {
  const runs = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    await fn();
    runs.push(((performance.now() - t) * 1000) / N);
  }
  runs.sort((a, b) => a - b);
  return { median: runs[3], min: runs[0], max: runs[6] };
}

const rows = [
  ['hand-written floor', await time(floor)],
  ['looplet, no hooks', await time(() => looplet([]))],
  ['looplet, a sync onEvent listener', await time(() => looplet([{ onEvent() {} }]))],
];
const base = rows[0][1].median;
for (const [name, r] of rows) console.log(`${name.padEnd(34)} ${r.median.toFixed(2)} µs/step (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})  ×${(r.median / base).toFixed(1)} floor`);
