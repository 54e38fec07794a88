// Devtools numbers: prompt diff on 100 KB prompts, the panel's bundle size without React, and
// (in Chromium, against the built playground) the time from choosing a 10,000-step trace to its
// first rows. Run: npm run build:playground && npx tsx bench/devtools.ts
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'rolldown';
import { chromium } from 'playwright-core';
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
const out = await build({ input: 'devtools/index.ts', platform: 'browser', write: false, external: [/^react/], output: { format: 'esm', minify: true }, resolve: { alias: { looplet: './lib/index.ts' } } });
const code = out.output.map((o) => ('code' in o ? o.code : '')).join('');
console.log(`panel (devtools/ + the looplet parts it uses, React external): ${(code.length / 1024).toFixed(1)} kB min, ${(gzipSync(code).length / 1024).toFixed(1)} kB min+gzip`);

// 3. open a 10,000-step trace in Chromium
const events: LoopEvent[] = [];
const reg = new ToolRegistry().register({ name: 'read_row', description: 'Read.', parameters: { type: 'object' }, execute: (a) => ({ row: a }) });
const script = Array.from({ length: 9999 }, (_, i) => ({ toolCalls: [{ id: `c${i}`, name: 'read_row', arguments: { i } }] }));
await collect(composableLoop({ llm: new MockLLMBackend([...script, { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 1 } }] }]), tools: reg, task: 't', config: { maxSteps: 10_000 }, hooks: [{ onEvent: (e) => void events.push(e) }] }));
const jsonl = toJSONL(events);
const root = 'dist-playground';
const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  try {
    const body = await readFile(join(root, path === '/' ? 'index.html' : path));
    res.writeHead(200, { 'content-type': extname(path) === '.js' ? 'text/javascript' : 'text/html' }).end(body);
  } catch { res.writeHead(404).end(); }
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const opens: number[] = [];
const longTasks: number[] = [];
for (let i = 0; i < 5; i++) {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  // time inside the page: from the file input's change event to the first step row in the DOM
  await page.evaluate(() => {
    const w = window as unknown as { t0?: number; t1?: number };
    document.querySelector('input[type=file]')!.addEventListener('change', () => { w.t0 = performance.now(); }, { capture: true });
    new MutationObserver(() => { if (w.t0 && !w.t1 && document.querySelector('[role=row][aria-label^="Step "]')) w.t1 = performance.now(); }).observe(document.body, { subtree: true, childList: true });
    // tasks before the change event are the test harness handing the 12 MB file to the page
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (w.t0 && e.startTime >= w.t0) (window as unknown as { longest?: number }).longest = Math.max((window as unknown as { longest?: number }).longest ?? 0, e.duration); }).observe({ type: 'longtask' });
  });
  await page.getByLabel('Open trace').setInputFiles({ name: 't.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(jsonl) });
  await page.getByRole('row', { name: /^Step \d+ / }).first().waitFor();
  await page.waitForTimeout(1500); // let the rest of the file land
  const { t0, t1, longest } = await page.evaluate(() => { const w = window as unknown as { t0: number; t1: number; longest?: number }; return { t0: w.t0, t1: w.t1, longest: w.longest }; });
  opens.push(t1 - t0);
  longTasks.push(longest ?? 0);
  await page.close();
}
console.log(`open a 10,000-step trace (${(jsonl.length / 1024 / 1024).toFixed(1)} MB) to first rows in Chromium: median ${median(opens).toFixed(0)} ms (min ${Math.min(...opens).toFixed(0)}, max ${Math.max(...opens).toFixed(0)}); longest main-thread task median ${median(longTasks).toFixed(0)} ms`);
await browser.close();
server.close();
