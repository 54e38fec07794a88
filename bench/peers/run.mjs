// Peer benchmarks, one run: bundle size of the same minimal agent per library, and cold start
// (process start to the agent module imported) in Node. Writes ../RESULTS.md.
// Run: npm run bench (builds, installs the peers and Node 22, runs this on it)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../bundle.mjs';
import { startServer } from './server.mjs';
import { stepsTable } from './steps.mjs';
import { memoryTable } from './memory.mjs';
import { streamingTable } from './streaming.mjs';
import { checkpointTable } from '../checkpoint-cost.mjs';
import { chart } from './chart.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const LIBS = [
  ['looplet', 'looplet (core + OpenAIBackend)'],
  ['floor', 'hand-written fetch loop (floor)'],
  ['ai-sdk', 'Vercel AI SDK (ai + @ai-sdk/openai)'],
  ['tanstack', 'TanStack AI (@tanstack/ai + ai-openai)'],
  ['openai-agents', 'OpenAI Agents SDK (@openai/agents)'],
  ['langgraph', 'LangGraph.js (prebuilt ReAct + @langchain/openai)'],
  ['mastra', 'Mastra (@mastra/core Agent)'],
];
const version = (p) => { try { return JSON.parse(readFileSync(join(here, 'node_modules', p, 'package.json'), 'utf8')).version; } catch { return '?'; } };
const versions = { ai: version('ai'), '@ai-sdk/openai': version('@ai-sdk/openai'), '@tanstack/ai': version('@tanstack/ai'), '@tanstack/ai-openai': version('@tanstack/ai-openai'), '@openai/agents': version('@openai/agents'), '@langchain/langgraph': version('@langchain/langgraph'), '@langchain/openai': version('@langchain/openai'), '@mastra/core': version('@mastra/core') };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 0. does each agent do the job here?
const { url, server } = await startServer();
const works = {};
for (const [lib] of LIBS) {
  try { const { run } = await import(`./agents/${lib}.mjs`); works[lib] = String(await run(url)).includes('5') ? 'yes' : 'partly'; } catch (err) { works[lib] = `no: ${String(err?.message ?? err).split('\n')[0].slice(0, 80)}`; }
}
server.close();

// 1. bundle size: browser/worker target, minified, tree-shaken; Node built-ins left external and reported
const size = {};
for (const [lib] of LIBS) {
  try {
    size[lib] = await bundle(join(here, 'agents', `${lib}.mjs`));
  } catch (err) {
    size[lib] = { error: String(err?.message ?? err).split('\n')[0].slice(0, 100) };
  }
}

// 1b. looplet's cost per feature, each row adding to the one before
const dist = join(here, '..', '..', 'dist');
const FEATURES = [
  ['core only (composableLoop, ToolRegistry, collect)', `import { composableLoop, ToolRegistry, collect } from '${dist}/index.js'; export { composableLoop, ToolRegistry, collect };`],
  ['+ OpenAIBackend', `import { composableLoop, ToolRegistry, collect, OpenAIBackend } from '${dist}/index.js'; export { composableLoop, ToolRegistry, collect, OpenAIBackend };`],
  ['+ approval and checkpoints (ApprovalHook, CheckpointHook, memoryStore, resumeFrom)', `export { composableLoop, ToolRegistry, collect, OpenAIBackend, ApprovalHook, CheckpointHook, memoryStore, resumeFrom } from '${dist}/index.js';`],
  ['+ IndexedDB store (looplet/idb, with idb)', `export { composableLoop, ToolRegistry, collect, OpenAIBackend, ApprovalHook, CheckpointHook, memoryStore, resumeFrom } from '${dist}/index.js'; export { indexedDBStore } from '${dist}/stores/idb.js';`],
  ['+ devtools bridge (devtoolsBridge)', `export { composableLoop, ToolRegistry, collect, OpenAIBackend, ApprovalHook, CheckpointHook, memoryStore, resumeFrom, devtoolsBridge } from '${dist}/index.js'; export { indexedDBStore } from '${dist}/stores/idb.js';`],
  ['everything in looplet (index)', `export * from '${dist}/index.js';`],
];
const featureDir = mkdtempSync(join(tmpdir(), 'looplet-features-'));
const features = [];
for (const [name, code] of FEATURES) {
  const file = join(featureDir, `f${features.length}.mjs`);
  writeFileSync(file, code);
  features.push([name, await bundle(file)]);
}

// 2. cold start in Node: fresh processes importing the agent module, minus an empty script
const RUNS = 15;
const time = (args) => {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: here, stdio: 'ignore' });
    if (r.status !== 0) return undefined;
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
const empty = time(['-e', '0']);
const cold = {};
for (const [lib] of LIBS) cold[lib] = time(['--input-type=module', '-e', `await import('./agents/${lib}.mjs')`]);

// ... and in Deno (from npm), importing through bench/peers/deno-import.mjs so package.json resolves the peers
const deno = join(here, '..', '..', 'node_modules', '.bin', 'deno');
const denoEnv = { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(here, '..', '..', '.deno'), NO_COLOR: '1' };
const timeDeno = (mod) => {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(deno, ['run', '-A', 'deno-import.mjs', mod], { cwd: here, stdio: 'ignore', env: denoEnv });
    if (r.status !== 0) return undefined;
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
timeDeno('./noop.mjs'); // warm Deno's cache once
const denoEmpty = timeDeno('./noop.mjs');
const coldDeno = {};
for (const [lib] of LIBS) coldDeno[lib] = denoEmpty && timeDeno(`./agents/${lib}.mjs`);

// 3. per-step overhead, the same local server for all
const STEPS = Number(process.env.BENCH_STEPS ?? 1000); // BENCH_STEPS=20 for a quick check of the script itself
const steps = await stepsTable(STEPS);
const memory = await memoryTable(10_000);
const streaming = await streamingTable(30);
const checkpoints = await checkpointTable();

// table
const kb = (n) => (n / 1024).toFixed(1);
const libsRun = LIBS.filter(([l]) => size[l]?.gzip);
const bestPeerSize = Math.min(...libsRun.filter(([l]) => l !== 'looplet' && l !== 'floor').map(([l]) => size[l].gzip));
const coldPeers = LIBS.filter(([l]) => l !== 'looplet' && l !== 'floor' && cold[l]).map(([l]) => cold[l].median - empty.median);
const bestPeerCold = Math.min(...coldPeers);
const bestPeerDeno = Math.min(...LIBS.filter(([l]) => l !== 'looplet' && l !== 'floor' && coldDeno[l]).map(([l]) => coldDeno[l].median - denoEmpty.median));
const rows = LIBS.map(([lib, name]) => {
  const s = size[lib], c = cold[lib];
  const sizeCell = s?.gzip ? `${kb(s.raw)} / **${kb(s.gzip)}** kB (×${(s.gzip / bestPeerSize).toFixed(2)})${s.lazyGzip ? ` + ${kb(s.lazyGzip)} kB loaded on demand` : ''}` : `bundle failed: ${s?.error}`;
  const workerCell = !s?.gzip ? 'no' : s.builtins.length ? `no: needs ${[...new Set(s.builtins.map((b) => b.replace(/^node:/, '')))].sort().join(', ')}` : 'yes';
  const coldCell = c ? `${(c.median - empty.median).toFixed(0)} ms (min ${(c.min - empty.median).toFixed(0)}, max ${(c.max - empty.median).toFixed(0)}; ×${((c.median - empty.median) / bestPeerCold).toFixed(2)})` : 'did not import';
  const d = coldDeno[lib];
  const denoCell = d ? `${(d.median - denoEmpty.median).toFixed(0)} ms (min ${(d.min - denoEmpty.median).toFixed(0)}, max ${(d.max - denoEmpty.median).toFixed(0)}; ×${((d.median - denoEmpty.median) / bestPeerDeno).toFixed(2)})` : 'did not import';
  return `| ${name} | ${works[lib]} | ${sizeCell} | ${workerCell} | ${coldCell} | ${denoCell} |`;
});
const ratio = (x, best) => (x <= 0 ? 0 : x / best);
const loopCold = cold.looplet ? cold.looplet.median - empty.median : Infinity;
const loopDeno = coldDeno.looplet ? coldDeno.looplet.median - denoEmpty.median : Infinity;
const fmt = (r) => `×${r.toFixed(2)}`;
const targets = [
  ['core agent bundle ≤ 1/10 of the smallest peer\'s and under 8 kB, gzip', size.looplet.gzip <= bestPeerSize / 10 && size.looplet.gzip < 8 * 1024, `${kb(size.looplet.gzip)} kB, ${fmt(size.looplet.gzip / bestPeerSize)}`],
  ['cold start above an empty script ≤ 1/10 of the fastest peer\'s, Node', ratio(loopCold, bestPeerCold) <= 0.1, `${loopCold.toFixed(0)} ms, ${fmt(ratio(loopCold, bestPeerCold))}`],
  ['… and Deno', ratio(loopDeno, bestPeerDeno) <= 0.1, `${loopDeno.toFixed(0)} ms, ${fmt(ratio(loopDeno, bestPeerDeno))}`],
  ['per-step overhead ≤ 1/10 of the fastest peer\'s', ratio(steps.overhead.looplet, steps.best) <= 0.1, `${steps.overhead.looplet.toFixed(3)} ms, ${fmt(ratio(steps.overhead.looplet, steps.best))}`],
  ['… with the standard hook set ≤ 1/5', ratio(steps.overhead['looplet-hooks'], steps.best) <= 0.2, `${steps.overhead['looplet-hooks'].toFixed(3)} ms, ${fmt(ratio(steps.overhead['looplet-hooks'], steps.best))}`],
  ['heap bounded over 10,000 steps with compaction (under 5 MB of growth after step 1,000)', memory.growthMB < 5, `+${memory.growthMB.toFixed(1)} MB at most`],
  ['checkpoint write time flat from step 10 to 1,000 (µs per KB within ×2 of step 10\'s)', checkpoints.maxGrowth <= 2, `×${checkpoints.maxGrowth.toFixed(2)} at most`],
];
const md = `# looplet benchmarks against peers

Run on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.versions.node}.
Re-run all of it: \`npm run bench\` (builds looplet, \`npm ci --prefix bench/peers\`, runs \`bench/peers/run.mjs\` on the Node 22 that installs).

Versions (the newest published; ai 7, @ai-sdk/openai 4, @langchain/openai 1.6 and @mastra/core 1.x need Node 22, which is why the bench runs on it):
${Object.entries(versions).map(([k, v]) => `\`${k}@${v}\``).join(', ')}.

Each library runs the same agent (two tools, greet and add, against an OpenAI-compatible endpoint). "Works" = it
completed the task against the local instant server (\`bench/peers/server.mjs\`).

| library | works | bundle raw / gzip (× best peer) | bundles for a Worker without Node built-ins | cold start above an empty script, Node (× fastest peer) | … in Deno |
|---|---|---|---|---|---|
${rows.join('\n')}

- Bundle: rolldown, browser target, minified, tree-shaken; the size is what loads before the agent runs (the entry chunk and its static imports), code behind a dynamic \`import()\` is listed apart; Node built-ins left external and named.
  The agents are \`bench/peers/agents/*.mjs\`; re-run this table with \`npm run bench\`.
- Cold start: median of ${RUNS} fresh \`node\` processes each importing the agent module, minus the median of an empty script (${empty.median.toFixed(0)} ms); the same with \`deno run\` (Deno ${spawnSync(deno, ['--version'], { env: denoEnv }).stdout?.toString().split(' ')[1] ?? '?'}), minus an empty module (${denoEmpty ? denoEmpty.median.toFixed(0) : '?'} ms).

### looplet's cost per feature

Same bundler and settings; each row adds to the one above. "On demand" is code behind a dynamic \`import()\` that loads only when the feature runs (the full JSON Schema validator for schemas that need it, JSON-in-text tool calls, pausing and resuming, approval signing, the Responses API).

| what the app imports | loads before the agent runs, raw / gzip | on demand, gzip |
|---|---|---|
${features.map(([name, f]) => `| ${name} | ${kb(f.raw)} / **${kb(f.gzip)}** kB | ${kb(f.lazyGzip)} kB |`).join('\n')}

## Per-step overhead

${STEPS} tool calls answered at once by the same local OpenAI-compatible server (\`bench/peers/server.mjs\`), a trivial tool, non-streamed.
"Overhead above the floor" subtracts the hand-written fetch loop measured in the same run. \`looplet-hooks\` adds the standard hook set
(approval on another tool, checkpoints to memory, metrics, tracing to a null exporter).

${steps.table}

Re-run: \`bench/peers/node_modules/.bin/node --expose-gc bench/peers/steps.mjs ${STEPS}\`. Every request resends the whole history, so per-step times grow with the run's length for every library, the floor too.

## Memory over 10,000 steps (looplet, compaction on)

An in-process model, \`ThresholdCompactHook\` with \`compactChain(pruneToolResults, truncate)\`, steps consumed and dropped by the caller (needs \`node --expose-gc\`).

${memory.table}

Re-run: \`node --expose-gc bench/peers/memory.mjs\`.

## Checkpoint cost (looplet)

One 1,000-step run per store, each step's result ~0.3 KB; the write at steps 10, 100 and 1,000 timed seven times. A write must not cost more than its size
does: "µs per KB vs step 10" at or under ×2 means flat (\`bench/checkpoint-cost.mjs\`). memoryStore keeps the JSON text and appends each write's
new messages to the last one's, so its writes cost the new messages only.

${checkpoints.table}

Re-run: \`node bench/checkpoint-cost.mjs\`.

## Streaming overhead

Time to first token against a local SSE server: reading the stream with \`fetch\` directly, and the first \`llm.delta\` event through looplet's OpenAIBackend.

${streaming}

Re-run: \`node bench/peers/streaming.mjs\`.

## Targets

The issue's targets, looplet against the best peer of each row in this run:

${targets.map(([what, ok, got]) => `- ${ok ? 'met' : '**not met**'}: ${what}: ${got}`).join('\n')}

Looplet-only benches beside these: \`bench/step-overhead.mjs\` (the loop against an in-process model),
\`bench/bundle-breakdown.mjs\` (where the agent's bytes are), \`bench/devtools.ts\` (the panel).
`;
writeFileSync(join(here, '..', 'RESULTS.md'), md);
// chart for the README: bundle, cold start and per-step overhead per library
const svg = chart(
  LIBS.filter(([l]) => l !== 'floor').map(([l, name]) => ({
    name: name.split(' (')[0],
    values: [size[l]?.gzip && size[l].gzip / 1024, cold[l] && cold[l].median - empty.median, steps.overhead[l]],
  })),
  [
    { title: 'bundle, kB min+gzip', format: (v) => v.toFixed(1) },
    { title: 'cold start above empty node, ms', format: (v) => v.toFixed(0) },
    { title: `ms per step above the floor, ${STEPS} steps`, format: (v) => (v <= 0 ? '≈ 0' : v.toFixed(2)) },
  ],
);
writeFileSync(join(here, '..', 'chart.svg'), svg);
console.log(md);
