// `deno run --unstable-kv ... deno-kv.js <start|resume> <kv path>`: one process pauses, another resumes from Deno KV.
import * as looplet from '../../dist/index.js';
import { approvalAgent, drive } from './approval-agent.js';

const [mode, path] = Deno.args;
const kv = await Deno.openKv(path);
const count = async (name) => {
  const cur = (await kv.get(['count', name])).value ?? 0;
  await kv.set(['count', name], cur + 1);
};
const store = looplet.kvStore(looplet.denoKV(kv));
const { tools, llm, hooks } = approvalAgent(looplet, count);
const run = mode === 'start'
  ? looplet.composableLoop({ llm, tools, task: 'Clean the data.', hooks: hooks(store, 'deno-run') })
  : looplet.resumeFrom(store, 'deno-run', { llm, tools, hooks: hooks(store, 'deno-run'), decisions: { 'c-save': looplet.approve() } });
const { steps, outcome } = await drive(run);
const counts = { load: (await kv.get(['count', 'load'])).value ?? 0, save: (await kv.get(['count', 'save'])).value ?? 0 };
kv.close();
console.log(JSON.stringify({ steps, status: outcome.status, answer: outcome.answer, pending: (outcome.pending ?? []).map((p) => p.id), counts }));
