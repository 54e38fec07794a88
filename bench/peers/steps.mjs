// Per-step overhead against the peers: N tool calls answered at once by the same local server,
// a trivial tool; time per step, and the overhead above the hand-written floor.
// Run: npm run build && npm ci --prefix bench/peers && node bench/peers/steps.mjs [N]
import { startServer } from './server.mjs';

export async function stepsTable(N = 200) {
const LIBS = ['floor', 'looplet', 'looplet-hooks', 'ai-sdk', 'tanstack', 'openai-agents', 'langgraph', 'mastra'];
const { url, server, count } = await startServer(0, N);
const results = {};
for (const lib of LIBS) {
  const { run } = await import(`./agents/${lib}.mjs`);
  const times = [];
  let ok = true;
  for (let k = 0; k < 3; k++) {
    const before = count();
    const t = performance.now();
    try { await run(url, N); } catch (err) { ok = `failed: ${String(err?.message ?? err).split('\n')[0].slice(0, 80)}`; break; }
    const requests = count() - before;
    if (requests < N) { ok = `stopped after ${requests} requests`; }
    times.push((performance.now() - t) / N);
  }
  results[lib] = { ok, times: times.sort((a, b) => a - b) };
}
server.close();
const floor = results.floor.times[1] ?? results.floor.times[0];
const peers = LIBS.filter((l) => !['floor', 'looplet', 'looplet-hooks'].includes(l) && results[l].ok === true).map((l) => results[l].times[1] - floor);
const best = Math.min(...peers);
const lines = [];
lines.push(`| library | ms per step (median of 3 runs of ${N} steps) | overhead above the floor | × best peer |`);
lines.push('|---|---|---|---|');
for (const lib of LIBS) {
  const r = results[lib];
  if (r.ok !== true && !r.times.length) { lines.push(`| ${lib} | ${r.ok} | | |`); continue; }
  const m = r.times[1] ?? r.times[0];
  lines.push(`| ${lib} | ${m.toFixed(3)} (min ${r.times[0].toFixed(3)}, max ${r.times.at(-1).toFixed(3)})${r.ok === true ? '' : ` — ${r.ok}`} | ${lib === 'floor' ? '—' : (m - floor).toFixed(3) + ' ms'} | ${lib === 'floor' ? '' : ((m - floor) / best).toFixed(2)} |`);
}
return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await stepsTable(Number(process.argv[2] ?? 200)));
