// Devtools numbers: prompt diff on 100 KB prompts, the panel's bundle size without React, and in
// Chromium, against a built playground, opening generated traces of 10,000 and 100,000 steps:
// time to first rows, time to any step's detail (the Prompt tab of the last step), the longest
// main-thread task, and the page's JS heap — for this build and, beside it, a previous release's
// playground when one is given.
// Run: npm run build:playground && npx tsx bench/devtools.ts [previous release's dist-playground]
import { gzipSync } from 'node:zlib';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'rolldown';
import { chromium, type Browser } from 'playwright-core';
import { diffText } from '../devtools/diff.ts';
import { collect, composableLoop, MockLLMBackend, toJSONL, ToolRegistry, type LoopEvent } from '../lib/index.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lines = (n: number, seed: number) => Array.from({ length: n }, (_, i) => `line ${i} ${((i * 2654435761 + seed) >>> 0).toString(36).repeat(3)}`).join('\n');

// 1. diff
const base = lines(3500, 1); // ~100 KB
console.log(`prompt size: ${(base.length / 1024).toFixed(0)} KB`);
const grown = base + '\n' + lines(40, 9);
const edited = base.replace('line 1000 ', 'line 1000 CHANGED ');
const other = lines(3500, 7);
for (const [name, a, b] of [['N vs N−1 (appended 2 KB)', base, grown], ['one line changed mid-prompt', base, edited], ['two unrelated 100 KB prompts', base, other]] as const) {
  const times: number[] = [];
  let status = '';
  for (let i = 0; i < 9; i++) { const r = diffText(a, b, { timeoutMs: 200 }); times.push(r.ms); status = r.status; }
  console.log(`diff ${name.padEnd(32)} median ${median(times).toFixed(2)} ms (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)}) → ${status}`);
}

// 2. size without React
const sources = { name: 'looplet-sources', resolveId: (id: string) => ({ looplet: resolve('lib/index.ts'), 'looplet/json-schema': resolve('lib/tools/json-schema.ts') } as Record<string, string>)[id] ?? null };
const out = await build({ input: 'devtools/index.ts', platform: 'browser', write: false, external: [/^react/], output: { format: 'esm', minify: true }, plugins: [sources] });
const code = out.output.map((o) => ('code' in o ? o.code : '')).join('');
console.log(`panel (devtools/ + the looplet parts it uses, React external): ${(code.length / 1024).toFixed(1)} kB min, ${(gzipSync(code).length / 1024).toFixed(1)} kB min+gzip`);

// 3. open generated traces in Chromium
async function trace(steps: number): Promise<string> {
  const events: LoopEvent[] = [];
  const reg = new ToolRegistry().register({ name: 'read_row', description: 'Read.', parameters: { type: 'object' }, execute: (a) => ({ row: a }) });
  let i = 0;
  const llm = { generate: async () => (++i < steps ? { toolCalls: [{ id: `c${i}`, name: 'read_row', arguments: { i } }], usage: { inputTokens: 100 + i, outputTokens: 10, totalTokens: 110 + i } } : { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 1 } }] }) };
  await collect(composableLoop({ llm, tools: reg, task: 't', config: { maxSteps: steps }, hooks: [{ onEvent: (e) => void events.push(e) }] }));
  return toJSONL(events);
}

function serve(root: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      const body = await readFile(join(root, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': extname(path) === '.js' ? 'text/javascript' : 'text/html' }).end(body);
    } catch { res.writeHead(404).end(); }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

interface Open { firstRows: number; openTask: number; detail: number; detailTask: number; heapMB: number }

/** One opening of `jsonl` in the playground at `url`: times inside the page, from the file input's change event. */
async function openOnce(browser: Browser, url: string, file: string, last: number, budgetMs: number): Promise<Open> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.evaluate(() => {
    const w = window as unknown as { t0?: number; t1?: number; tasks: { start: number; ms: number }[] };
    w.tasks = [];
    document.querySelector('input[type=file]')!.addEventListener('change', () => { w.t0 = performance.now(); }, { capture: true });
    new MutationObserver(() => { if (w.t0 && !w.t1 && document.querySelector('[role=row][aria-label^="Step "]')) w.t1 = performance.now(); }).observe(document.body, { subtree: true, childList: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.tasks.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask' });
  });
  await page.getByLabel('Open trace').setInputFiles(file);
  await page.getByRole('row', { name: /^Step \d+ / }).first().waitFor({ timeout: budgetMs });
  // the whole file has landed when the panel counts every step (its live region says so)
  await page.waitForFunction(`(document.querySelector('[aria-live]')?.textContent ?? '').startsWith('${last} steps')`, undefined, { timeout: budgetMs, polling: 250 });
  await page.getByRole('grid', { name: 'Steps' }).evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.getByRole('row', { name: new RegExp(`^Step ${last} `) }).waitFor({ timeout: budgetMs });
  await page.waitForTimeout(300);
  const opened = await page.evaluate(() => { const w = window as unknown as { t0: number; t1: number; tasks: { start: number; ms: number }[] }; return { firstRows: w.t1 - w.t0, openTask: Math.max(0, ...w.tasks.filter((t) => t.start >= w.t0).map((t) => t.ms)) }; });
  // any step's detail: the last one, Prompt tab, from the click to its prompt in the DOM (timed in the page)
  // (a string: the bench runs through tsx, whose helpers would not exist in the page)
  const detail = await page.evaluate(`new Promise((done) => {
    const row = [...document.querySelectorAll('[role=row]')].find((r) => (r.getAttribute('aria-label') || '').startsWith('Step ${last} '));
    const t0 = performance.now();
    const ob = new MutationObserver(() => {
      if (!document.querySelector('[aria-label="Step ${last} detail"] [aria-label="Prompt the model saw"]')) return;
      ob.disconnect();
      const ms = performance.now() - t0;
      setTimeout(() => done({ ms, task: Math.max(0, ...window.tasks.filter((x) => x.start >= t0).map((x) => x.ms)) }), 200);
    });
    ob.observe(document.body, { subtree: true, childList: true });
    row.click();
  })`) as { ms: number; task: number };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics') as { metrics: { name: string; value: number }[] };
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  await page.close();
  return { ...opened, detail: detail.ms, detailTask: detail.task, heapMB: heap / 1024 / 1024 };
}

const builds: [string, string][] = [['this build', 'dist-playground']];
if (process.argv[2]) builds.push(['previous release', resolve(process.argv[2])]);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-precise-memory-info'] });
for (const steps of [10_000, 100_000]) {
  const text = await trace(steps);
  const file = join(mkdtempSync(join(tmpdir(), 'looplet-devtools-bench-')), `${steps}.jsonl`);
  writeFileSync(file, text);
  const mb = Buffer.byteLength(text) / 1024 / 1024;
  console.log(`\n${steps.toLocaleString()} steps, ${mb.toFixed(0)} MB of JSONL`);
  for (const [name, root] of builds) {
    const server = await serve(root);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const runs: Open[] = [];
    try {
      for (let k = 0; k < (steps > 10_000 ? 3 : 5); k++) runs.push(await openOnce(browser, url, file, steps, steps > 10_000 ? 120_000 : 60_000));
      const m = (f: (o: Open) => number) => median(runs.map(f));
      console.log(`  ${name.padEnd(17)} first rows ${m((o) => o.firstRows).toFixed(0)} ms · longest task while opening ${m((o) => o.openTask).toFixed(0)} ms · step ${steps} detail ${m((o) => o.detail).toFixed(0)} ms (longest task ${m((o) => o.detailTask).toFixed(0)} ms) · JS heap ${m((o) => o.heapMB).toFixed(0)} MB (${(m((o) => o.heapMB) / mb).toFixed(1)}× the file)`);
    } catch (err) {
      console.log(`  ${name.padEnd(17)} did not finish: ${(err as Error).message.split('\n')[0]}`);
    }
    server.close();
  }
}
await browser.close();
