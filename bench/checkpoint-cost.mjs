// Checkpoint write cost at steps 10, 100 and 1,000 of one run, per store: the time of each
// write next to the checkpoint's size, so growth beyond the size itself would show as a
// rising µs/KB. Run: npm run build && node bench/checkpoint-cost.mjs
import 'fake-indexeddb/auto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, composableLoop, memoryStore, ToolRegistry } from '../dist/index.js';
import { indexedDBStore } from '../dist/stores/idb.js';
import { fileStore } from '../dist/stores/file.node.js';

const N = 1000;
const AT = [10, 100, 1000];
const tools = new ToolRegistry().register({ name: 'read', description: 'Read a record.', parameters: { type: 'object', properties: { i: { type: 'number' } } }, execute: ({ i }) => ({ id: i, text: 'x'.repeat(200) }) });
const llm = { generate: async (req) => { const n = req.messages.filter((m) => m.role === 'tool').length; return n >= N ? { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: n } }] } : { toolCalls: [{ id: `c${n}`, name: 'read', arguments: { i: n } }] }; } };

let maxGrowth = 0;

async function measure(name, store, lines) {
  const rows = new Map();
  const timed = {
    onCheckpoint: async (cp) => {
      if (!AT.includes(cp.stepCount)) return void (await store.put(cp.runId, cp));
      const times = [];
      for (let k = 0; k < 7; k++) { // the same write seven times: median, min, max
        const t = performance.now();
        await store.put(cp.runId, cp);
        times.push((performance.now() - t) * 1000);
      }
      times.sort((a, b) => a - b);
      const kb = JSON.stringify(cp).length / 1024;
      const prev = rows.get(cp.stepCount);
      if (!prev || prev.kb < kb) rows.set(cp.stepCount, { kb, median: times[3], min: times[0], max: times[6] });
    },
  };
  await collect(composableLoop({ llm, tools, task: 't', config: { maxSteps: N + 1 }, hooks: [timed] }));
  const at10 = rows.get(10);
  for (const [step, r] of [...rows].sort((a, b) => a[0] - b[0])) {
    // growth beyond the checkpoint's own size: µs per KB here over µs per KB at step 10
    const growth = at10 ? (r.median / r.kb) / (at10.median / at10.kb) : 1;
    maxGrowth = Math.max(maxGrowth, growth);
    lines.push(`| ${name} | ${step} | ${r.kb.toFixed(1)} KB | ${r.median.toFixed(0)} µs (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)}) | ${(r.median / r.kb).toFixed(1)} | ×${growth.toFixed(2)} |`);
  }
}

/** The checkpoint-cost table (markdown). */
export async function checkpointTable() {
  const lines = ['| store | step | checkpoint size | write time, median of 7 | µs per KB | µs per KB vs step 10 |', '|---|---|---|---|---|---|'];
  await measure('memoryStore', memoryStore(), lines);
  await measure('indexedDBStore (fake-indexeddb)', indexedDBStore({ dbName: `bench-${Date.now()}` }), lines);
  await measure('fileStore', fileStore(await mkdtemp(join(tmpdir(), 'looplet-bench-'))), lines);
  return { table: lines.join('\n'), maxGrowth };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await checkpointTable()).table);
