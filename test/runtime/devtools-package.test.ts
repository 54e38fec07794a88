// `looplet/devtools` as a user gets it: the packed tarball (npm pack) installed into a fresh
// Vite + React app, built, and the panel rendered in Chromium — with a run made in the page,
// and a trace parsed by the panel's Worker. `npm test` builds dist/ first.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, composableLoop, MockLLMBackend, toJSONL, ToolRegistry, type LoopEvent } from '../../lib/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** A fresh project: the tarball unpacked as node_modules/looplet, everything else linked from this repo (no network). */
async function freshProject(): Promise<string> {
  if (!existsSync(join(ROOT, 'dist', 'devtools', 'index.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does).');
  const dir = mkdtempSync(join(tmpdir(), 'looplet-consumer-'));
  const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT });
  const tarball = join(dir, stdout.trim().split('\n').pop()!);
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'looplet'), { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', join(modules, 'looplet'), '--strip-components=1']);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === 'looplet' || name === '.bin' || name.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(dir, 'vite.config.js'), "import react from '@vitejs/plugin-react';\nexport default { plugins: [react()], logLevel: 'warn' };\n");
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><div id="root" style="height:600px"></div><script type="module" src="/main.tsx"></script></body></html>');
  // the README's embedding, in an app of its own
  writeFileSync(join(dir, 'main.tsx'), `
import { createRoot } from 'react-dom/client';
import { collect, composableLoop, MockLLMBackend, ToolRegistry } from 'looplet';
import { LoopletDevtools, liveSource, parseTrace } from 'looplet/devtools';

const live = liveSource();
createRoot(document.getElementById('root')!).render(<LoopletDevtools source={live} theme="light" />);
const tools = new ToolRegistry().register({ name: 'greet', description: 'Greet.', parameters: { type: 'object', properties: { name: { type: 'string' } } }, execute: ({ name }) => 'Hello, ' + String(name) });
const llm = new MockLLMBackend([{ toolCalls: [{ name: 'greet', arguments: { name: 'Ann' } }] }, { toolCalls: [{ name: 'done', arguments: { answer: 'greeted' } }] }]);
collect(composableLoop({ llm, tools, task: 'Greet Ann.', hooks: [live.hook] })).then(async ({ outcome }) => {
  const parsed = await parseTrace(live.events.map((e) => JSON.stringify(e)).join('\\n') + '\\nnot json\\n');
  (window as unknown as { result: unknown }).result = { status: outcome.status, parsed: parsed.events.length, errors: parsed.errors.length };
});
`);
  return dir;
}

function serveStatic(dir: string): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer(async (req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/$/, '/index.html'));
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('looplet/devtools from the packed tarball', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => { for (const c of cleanup) await c(); });

  it('builds into a fresh Vite + React app and renders the panel in Chromium', async () => {
    const dir = await freshProject();
    await run(join(ROOT, 'node_modules', '.bin', 'vite'), ['build'], { cwd: dir });
    const { url, server } = await serveStatic(join(dir, 'dist'));
    cleanup.push(() => new Promise((ok) => server.close(ok)));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    cleanup.push(() => browser.close());
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { result: unknown }).result)).toMatchObject({ status: 'done', errors: 1 });
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByText("greet").first().isVisible()).toBe(true);
    expect(problems).toEqual([]);
  }, 120_000);

  /** `looplet view …` as a process: resolves with the URL it prints. */
  function startView(cli: string, args: string[]): Promise<string> {
    const child = spawn(process.execPath, [cli, 'view', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.push(async () => child.kill());
    return new Promise((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out); if (m) ok(m[1]!); });
      child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('exit', (code) => fail(new Error(`looplet view exited ${code}: ${out}`)));
    });
  }

  async function traceFile(dir: string, steps: number): Promise<{ path: string; events: LoopEvent[] }> {
    const events: LoopEvent[] = [];
    const tools = new ToolRegistry().register({ name: 'read_row', description: 'Read a row.', parameters: { type: 'object', properties: { i: { type: 'integer' } } }, execute: ({ i }) => ({ row: i }) });
    const script = Array.from({ length: steps - 1 }, (_, i) => ({ toolCalls: [{ id: `c${i}`, name: 'read_row', arguments: { i } }] }));
    await collect(composableLoop({ llm: new MockLLMBackend([...script, { toolCalls: [{ name: 'done', arguments: { answer: 'all read' } }] }]), tools, task: 'Read rows.', config: { maxSteps: steps }, hooks: [{ onEvent: (e) => void events.push(e) }] }));
    const path = join(dir, 'run.jsonl');
    writeFileSync(path, toJSONL(events));
    return { path, events };
  }

  it('`looplet view <trace.jsonl>` serves the viewer with that file, from the installed tarball and from a checkout', async () => {
    const dir = await freshProject();
    const { path } = await traceFile(dir, 30);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    cleanup.push(() => browser.close());
    for (const cli of [join(dir, 'node_modules', 'looplet', 'dist', 'cli.node.js'), join(ROOT, 'dist', 'cli.node.js')]) {
      const url = await startView(cli, [path]);
      const page = await browser.newPage();
      await page.goto(url);
      await expect.poll(() => page.getByRole('row').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
      expect(await page.getByText('read_row').first().isVisible()).toBe(true);
      // a deep link: the step and tab in the hash open directly, and the panel keeps them there
      await page.goto(`${url}#step=7&tab=result`);
      await page.reload();
      await expect.poll(() => page.getByRole('region', { name: 'Step 7 detail' }).count(), { timeout: 20_000 }).toBe(1);
      expect(await page.getByRole('tab', { name: 'Result' }).getAttribute('aria-selected')).toBe('true');
      await page.getByRole('row', { name: /^Step 8 / }).click();
      await expect.poll(() => new URL(page.url()).hash).toContain('step=8');
      await page.close();
    }
  }, 120_000);

  it('`looplet view --watch <url>` follows a live event stream', async () => {
    const events: LoopEvent[] = (await traceFile(mkdtempSync(join(tmpdir(), 'looplet-watch-')), 5)).events;
    // a server streaming a run as toEventStream does (CORS open, as the viewer is on another port)
    const sse = createServer((_req, res) => {
      const body = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'access-control-allow-origin': '*' });
      res.end(body);
    });
    await new Promise<void>((ok) => sse.listen(0, '127.0.0.1', ok));
    cleanup.push(() => new Promise((ok) => sse.close(ok)));
    const url = await startView(join(ROOT, 'dist', 'cli.node.js'), ['--watch', `http://127.0.0.1:${(sse.address() as AddressInfo).port}/events`]);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    cleanup.push(() => browser.close());
    const page = await browser.newPage();
    await page.goto(url);
    await expect.poll(() => page.getByRole('row').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
