// Runs the same smoke agent (test/runtime/smoke-agent.js) against the BUILT dist/index.js in
// Node, Deno, Bun, workerd and headless Chromium, and checks every runtime agrees with Node.
// It builds nothing: `npm test` (test/run-all.mjs) runs `npm run build` first.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import { chromium } from 'playwright-core';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = join(ROOT, 'test', 'runtime');
const DIST_INDEX = join(ROOT, 'dist', 'index.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// TOOLING.md's tested flags, plus /tmp instead of a container's small /dev/shm.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** What each runtime hands back: the compared summary, and proof of where it ran. */
interface Run { result: unknown; where: Record<string, unknown> }

function requireDist(): void {
  if (!existsSync(DIST_INDEX)) throw new Error(`${DIST_INDEX} is missing: run npm run build first (npm test does).`);
}

/**
 * A local OpenAI-compatible server for the backend leg: a recorded streamed tool call, then
 * (once the request carries the tool result) a done call. CORS open, for the browser.
 */
async function upstreamServer(): Promise<{ url: string; server: Server }> {
  const toolCall = await readFile(join(ROOT, 'test/fixtures/wire/openai-chat/gpt-4o-stream-tool-call.sse'), 'utf8');
  // Anthropic: the recorded tool_use stream (get_weather, location Paris), then a done call
  const claudeCall = await readFile(join(ROOT, 'test/fixtures/wire/anthropic/sdk-py-tool-use-response.sse'), 'utf8');
  const claudeDone = ['message_start', 'content_block_start', 'content_block_delta', 'message_delta', 'message_stop'].map((t) => `event: ${t}\ndata: ${JSON.stringify(
    t === 'message_start' ? { type: t, message: { model: 'claude', usage: { input_tokens: 50, output_tokens: 1 } } }
      : t === 'content_block_start' ? { type: t, index: 0, content_block: { type: 'tool_use', id: 'toolu_done', name: 'done', input: {} } }
        : t === 'content_block_delta' ? { type: t, index: 0, delta: { type: 'input_json_delta', partial_json: '{"answer":"21 degrees"}' } }
          : t === 'message_delta' ? { type: t, delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } } : { type: t })}\n\n`).join('');
  const done = 'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"d1","type":"function","function":{"name":"done","arguments":"{\\"answer\\":\\"21 degrees\\"}"}}]},"finish_reason":"tool_calls"}]}\n\ndata: [DONE]\n\n';
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, OPTIONS' };
  const server = createServer(async (req, res) => {
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    let raw = '';
    for await (const c of req) raw += c;
    const body = JSON.parse(raw) as { messages: { role: string; content: unknown }[] };
    res.writeHead(200, { 'content-type': 'text/event-stream', ...cors });
    // small pieces: every runtime's stream decoding gets split JSON and split lines
    const anthropic = req.url === '/v1/messages';
    const answered = anthropic ? JSON.stringify(body.messages.at(-1)?.content ?? '').includes('tool_result') : body.messages.at(-1)?.role === 'tool';
    const text = anthropic ? (answered ? claudeDone : claudeCall) : answered ? done : toolCall;
    for (let i = 0; i < text.length; i += 37) res.write(text.slice(i, i + 37));
    res.end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let upstream = '';

async function inNode(): Promise<Run> {
  requireDist();
  const looplet = await import(pathToFileURL(DIST_INDEX).href);
  const { runSmoke } = await import(pathToFileURL(join(HERE, 'smoke-agent.js')).href);
  return { result: await runSmoke(looplet, { upstream }), where: { node: process.versions.node } };
}

async function inDeno(): Promise<Run> {
  requireDist();
  const deno = join(ROOT, 'node_modules', '.bin', 'deno');
  const { stdout } = await promisify(execFile)(deno, ['run', `--allow-read=${ROOT}`, '--allow-net=127.0.0.1', join(HERE, 'deno-entry.js'), upstream], {
    cwd: ROOT,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(ROOT, '.deno'), NO_COLOR: '1' },
    maxBuffer: 16 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Run;
}

async function inBun(): Promise<Run> {
  requireDist();
  const bun = join(ROOT, 'node_modules', '.bin', 'bun');
  const { stdout } = await promisify(execFile)(bun, [join(HERE, 'bun-entry.js'), upstream], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', DO_NOT_TRACK: '1' },
    maxBuffer: 16 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Run;
}

async function inWorkerd(): Promise<Run> {
  requireDist();
  // Miniflare takes one script: bundle the entry, dist and the smoke agent into a single ES module.
  const out = await build({
    input: join(HERE, 'worker-entry.js'),
    platform: 'neutral',
    write: false,
    output: { format: 'esm', codeSplitting: false },
  });
  const mf = new Miniflare({ modules: true, script: out.output[0].code, compatibilityDate: '2025-01-01', bindings: { UPSTREAM: upstream } });
  try {
    const res = await mf.dispatchFetch('http://localhost/');
    const body = await res.text();
    if (!res.ok) throw new Error(`worker answered ${res.status}:\n${body}`);
    return JSON.parse(body) as Run;
  } finally {
    await mf.dispose();
  }
}

const MIME: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };

/** Serves the repo's dist/ and test/runtime/ only (an http origin, as browsers load modules from). */
function staticServer(): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolve(ROOT, '.' + path);
    const allowed = [join(ROOT, 'dist') + sep, HERE + sep].some((dir) => file.startsWith(dir));
    try {
      if (!allowed) throw new Error('outside dist/ and test/runtime/');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function inChromium(): Promise<Run> {
  requireDist();
  const server = await staticServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/test/runtime/browser.html`);
    // A string, not a function: Vitest rewrites import() in this file's functions.
    return (await page.evaluate(`(async () => {
      const [looplet, smoke] = await Promise.all([import('/dist/index.js'), import('/test/runtime/smoke-agent.js')]);
      return { result: await smoke.runSmoke(looplet, { upstream: ${JSON.stringify(upstream)} }), where: { userAgent: navigator.userAgent } };
    })()`)) as Run;
  } finally {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
}

describe('runtime matrix (built dist/index.js)', { timeout: 120_000 }, () => {
  let node: Run;
  let up: Server | undefined;
  beforeAll(async () => {
    const started = await upstreamServer();
    up = started.server;
    upstream = started.url;
    node = await inNode();
  });
  afterAll(async () => {
    up?.closeAllConnections();
    await new Promise((ok) => up?.close(ok));
  });

  it('node', () => {
    expect(node.where.node).toBe(process.versions.node);
    // Node is the reference: pin the parts of the contract the other runtimes are compared on.
    const { native, json } = node.result as any;
    expect(native.outcome).toMatchObject({ status: 'done', answer: 'finished' });
    expect(native.steps.map((s: any) => [s.toolCall.name, s.status, s.toolResult.error?.kind])).toEqual([
      ['greet', 'ok', undefined],
      ['greet', 'ok', undefined],
      ['add', 'ok', undefined],
      ['delete', 'denied', 'denied'],
      ['fail', 'error', 'tool_error'],
      ['greet', 'error', 'invalid_args'],
      ['nope', 'error', 'unknown_tool'],
      ['done', 'ok', undefined],
    ]);
    expect(native.steps[0].toolResult.data).toEqual({ greeting: 'Hello, Alice!' });
    expect(native.steps[2].toolResult.data).toBe(5);
    expect(native.pretty[0]).toBe("#1 ✓ greet(name='Alice') → 1 keys");
    expect(native).toMatchObject({ eventsWellFormed: true, oneRunId: true, jsonlRoundTrip: true, malformedLine: 'names the line', requestsSeen: 7 });
    expect(native.eventTypes[0]).toBe('run.start');
    expect(native.eventTypes.at(-1)).toBe('run.end');
    expect(json.outcome).toMatchObject({ status: 'done', answer: 'ok' });
    const { backend } = node.result as any;
    expect(backend.steps.map((s: any) => [s.toolCall.name, s.toolCall.args, s.status])).toEqual([
      ['get_weather', { city: 'New York City' }, 'ok'],
      ['done', { answer: '21 degrees' }, 'ok'],
    ]);
    expect(backend.outcome).toMatchObject({ status: 'done', answer: '21 degrees' });
    expect(backend.usage).toMatchObject({ inputTokens: 44, outputTokens: 16, totalTokens: 60 });
    expect(backend.deltas).toBe('{"city":"New York City"}{"answer":"21 degrees"}');
    const { anthropic } = node.result as any;
    expect(anthropic.steps.map((s: any) => [s.toolCall.name, s.toolCall.args, s.status])).toEqual([
      ['get_weather', { location: 'Paris' }, 'ok'],
      ['done', { answer: '21 degrees' }, 'ok'],
    ]);
    expect(anthropic.usage).toMatchObject({ inputTokens: 377 + 50, outputTokens: 65 + 9 });
    expect(json.steps.map((s: any) => [s.toolCall.name, s.toolCall.args, s.status])).toEqual([
      ['greet', { name: 'Ann' }, 'ok'],
      ['done', { answer: 'ok' }, 'ok'],
    ]);
  });

  it('deno', async () => {
    const run = await inDeno();
    expect(run.where.deno).toMatch(/^\d+\.\d+/);
    expect(run.result).toEqual(node.result);
  });

  it('bun', async () => {
    const run = await inBun();
    expect(run.where.bun).toMatch(/^\d+\.\d+/);
    expect(run.result).toEqual(node.result);
  });

  it('workerd', async () => {
    const run = await inWorkerd();
    expect(run.where.userAgent).toContain('Cloudflare-Workers');
    expect(run.result).toEqual(node.result);
  });

  it('chromium', async () => {
    const run = await inChromium();
    expect(run.where.userAgent).toContain('HeadlessChrome');
    expect(run.result).toEqual(node.result);
  });
});
