// Per-step overhead against the peers: N tool calls answered at once by the same local server,
// a trivial tool; time and heap allocation per step, and each above the hand-written floor.
// Run: npm run bench, or alone: bench/peers/node_modules/.bin/node --expose-gc bench/peers/steps.mjs [N]
import { Session } from 'node:inspector/promises';
import { startServer } from './server.mjs';

// Bytes allocated on the JS heap while fn runs, garbage included. selfSize is already scaled from
// the samples up to an estimate of all bytes (V8's SamplingHeapProfiler::ScaleSample). Checked on
// known loops: 10,000 × new Array(100) of doubles (848 B each, 8.48 MB) measured 8.48–8.80 MB;
// 1,000,000 × {a, b} (40 B each, 40 MB, mostly unsampled objects) measured 40.2–40.4 MB.
async function allocated(session, samplingInterval, fn) {
  await session.post('HeapProfiler.startSampling', { samplingInterval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  let profile;
  try { await fn(); } finally { ({ profile } = await session.post('HeapProfiler.stopSampling')); }
  const sum = (node) => node.selfSize + node.children.reduce((a, c) => a + sum(c), 0);
  return sum(profile.head);
}

const SLOW_RUN_MS = 20_000;
const mid = (xs) => (xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2);

export async function stepsTable(N = 1000) {
const LIBS = ['floor', 'looplet', 'looplet-hooks', 'ai-sdk', 'tanstack', 'openai-agents', 'langgraph', 'mastra'];
const { url, server, count } = await startServer(0, N);
const results = Object.fromEntries(LIBS.map((l) => [l, { ok: true, times: [] }]));
const runs = {};
for (const lib of LIBS) runs[lib] = (await import(`./agents/${lib}.mjs`)).run;
await runs.floor(url, N); // warms up the in-process server, whose work is in every row
// Round robin, so drift on a shared machine (and the server's own warm-up) hits every library alike.
for (let k = 0; k < 3; k++) {
  for (const lib of LIBS) {
    const r = results[lib];
    if (r.failed) continue;
    if (k === 2 && r.times[0] * N > SLOW_RUN_MS) continue; // two runs of a slow library keep the bench under 10 minutes
    const before = count();
    const t = performance.now();
    try { await runs[lib](url, N); } catch (err) { r.failed = true; r.ok = `failed: ${String(err?.message ?? err).split('\n')[0].slice(0, 80)}`; continue; }
    const requests = count() - before;
    if (requests < N) r.ok = `stopped after ${requests} requests`;
    r.times.push((performance.now() - t) / N);
  }
}
for (const lib of LIBS) results[lib].times.sort((a, b) => a - b);
// Allocation gets its own run (the timed ones warmed it up), after all the timed ones: profiling leaves later runs in the
// process slower (looplet's ms per step went from 1.0 to 1.6 when its timed runs came after one).
// Each request resends the whole history, so a run allocates ~N² bytes; the profile lists every
// sample, and past ~10M samples it no longer fits in a V8 string (N = 1000 at 128 B aborted node).
const interval = 1024 * Math.max(1, (N / 200) ** 2); // 128 B gave the same numbers within 1%, 3-4x slower
const session = new Session();
session.connect();
for (const lib of LIBS) {
  if (!results[lib].times.length) continue;
  try { results[lib].bytes = (await allocated(session, interval, () => runs[lib](url, N))) / N; } catch { /* the timed runs report it */ }
}
session.disconnect();
server.close();
const floor = mid(results.floor.times);
const peers = LIBS.filter((l) => !['floor', 'looplet', 'looplet-hooks'].includes(l) && results[l].ok === true).map((l) => mid(results[l].times) - floor);
const best = Math.min(...peers);
const kb = (b) => b === undefined ? '—' : `${(b / 1024).toFixed(1)} KB`;
const lines = [];
lines.push(`| library | ms per step (median of 3 runs of ${N} steps; 2 for a library slower than ${SLOW_RUN_MS / 1000} s a run) | overhead above the floor | × best peer | allocated per step (one run of ${N} steps) | allocation above the floor |`);
lines.push('|---|---|---|---|---|---|');
for (const lib of LIBS) {
  const r = results[lib];
  if (r.ok !== true && !r.times.length) { lines.push(`| ${lib} | ${r.ok} | | | | |`); continue; }
  const m = mid(r.times);
  lines.push(`| ${lib} | ${m.toFixed(3)} (min ${r.times[0].toFixed(3)}, max ${r.times.at(-1).toFixed(3)})${r.ok === true ? '' : ` — ${r.ok}`} | ${lib === 'floor' ? '—' : (m - floor).toFixed(3) + ' ms'} | ${lib === 'floor' ? '' : m - floor <= 0 ? '≈ 0 (at or under the floor)' : ((m - floor) / best).toFixed(2)} | ${kb(r.bytes)} | ${lib === 'floor' ? '—' : kb(r.bytes === undefined ? undefined : r.bytes - results.floor.bytes)} |`);
}
lines.push('', `Allocation: V8 sampling heap profiler (${interval}-byte interval, collected objects included). The local server runs in the same process, so its allocations are in every row, the floor too, and cancel in the column above the floor.`);
const overhead = (lib) => (results[lib].times.length ? mid(results[lib].times) - floor : undefined);
return { table: lines.join('\n'), best, overhead: Object.fromEntries(LIBS.map((l) => [l, overhead(l)])) };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await stepsTable(Number(process.argv[2] ?? 1000))).table);
