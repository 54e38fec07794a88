// An agent using MCP tools, in every runtime, against real servers of both eras:
// server-everything (legacy, sessions) and a current-era server built with the official SDK v2.
// In a browser a session needs CORS to expose Mcp-Session-Id: a server that does not gets a clear error.
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
import { currentServer, everything, type CurrentServer } from '../mcp/servers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = join(ROOT, 'test', 'runtime');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const expected = (protocol: string) => ({ protocol, echo: true, steps: [['echo', 'ok'], ['done', 'ok']], answer: 'Echo: from the agent', status: 'done' });

describe('MCP tools in every runtime (built dist/)', { timeout: 120_000 }, () => {
  let legacy: Awaited<ReturnType<typeof everything>>;
  let current: CurrentServer;
  let hidden: Server;
  let urls: string[];
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'mcp', 'index.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does).');
    legacy = await everything();
    current = await currentServer({ cors: true, legacy: 'reject' });
    urls = [legacy.url, current.url];
    // a legacy server that gives browsers no way to read its session id (no Access-Control-Expose-Headers)
    hidden = createServer(async (req, res) => {
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, DELETE, OPTIONS' };
      if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
      let body = '';
      for await (const c of req) body += String(c);
      const rpc = body ? JSON.parse(body) as { id?: number; method?: string } : {};
      if (rpc.method === 'initialize') return void res.writeHead(200, { ...cors, 'content-type': 'application/json', 'mcp-session-id': 'secret-session' }).end(JSON.stringify({ jsonrpc: '2.0', id: rpc.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'h', version: '1' } } }));
      if (rpc.method?.startsWith('notifications/')) return void res.writeHead(202, cors).end();
      if (req.headers['mcp-session-id'] !== 'secret-session') return void res.writeHead(400, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' } }));
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: rpc.id, result: { tools: [] } }));
    });
    await new Promise<void>((ok) => hidden.listen(0, '127.0.0.1', ok));
  });
  afterAll(async () => {
    await legacy?.stop();
    await current?.stop();
    hidden?.closeAllConnections();
    await new Promise((ok) => hidden?.close(ok));
  });

  it('node', async () => {
    const [looplet, mcp, { runMcp }] = await Promise.all([import(pathToFileURL(join(ROOT, 'dist/index.js')).href), import(pathToFileURL(join(ROOT, 'dist/mcp/index.js')).href), import(pathToFileURL(join(HERE, 'mcp-agent.js')).href)]);
    expect(await runMcp(looplet, mcp, legacy.url)).toEqual(expected('legacy'));
    expect(await runMcp(looplet, mcp, current.url)).toEqual(expected('current'));
  });

  it('deno', async () => {
    const deno = join(ROOT, 'node_modules', '.bin', 'deno');
    const { stdout } = await promisify(execFile)(deno, ['run', `--allow-read=${ROOT}`, '--allow-net=127.0.0.1', join(HERE, 'mcp-deno.js'), ...urls], {
      cwd: ROOT, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(ROOT, '.deno'), NO_COLOR: '1' }, maxBuffer: 16 << 20,
    });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { results: unknown[]; deno: string };
    expect(out.deno).toMatch(/^\d+\./);
    expect(out.results).toEqual([expected('legacy'), expected('current')]);
  });

  it('workerd', async () => {
    const out = await build({ input: join(HERE, 'mcp-worker.js'), platform: 'neutral', write: false, output: { format: 'esm', codeSplitting: false } });
    const mf = new Miniflare({ modules: true, script: out.output[0].code, compatibilityDate: '2025-01-01', bindings: { URLS: JSON.stringify(urls) } });
    try {
      const res = await mf.dispatchFetch('http://localhost/');
      const body = await res.json() as { results: unknown[]; userAgent: string };
      expect(body.userAgent).toContain('Cloudflare-Workers');
      expect(body.results).toEqual([expected('legacy'), expected('current')]);
    } finally {
      await mf.dispose();
    }
  });

  it('chromium, and a clear error when CORS hides the session id', async () => {
    const files = createServer(async (req, res) => {
      const file = resolve(ROOT, '.' + decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (![join(ROOT, 'dist') + sep, HERE + sep, join(ROOT, 'node_modules', 'idb') + sep].some((d) => file.startsWith(d))) return void res.writeHead(404).end();
      try { res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'text/html' }).end(await readFile(file)); } catch { res.writeHead(404).end(); }
    });
    await new Promise<void>((ok) => files.listen(0, '127.0.0.1', ok));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(files.address() as AddressInfo).port}/test/runtime/browser.html`);
      const hiddenUrl = `http://127.0.0.1:${(hidden.address() as AddressInfo).port}/mcp`;
      const results = await page.evaluate(`(async () => {
        const [looplet, mcp, agent] = await Promise.all([import('/dist/index.js'), import('/dist/mcp/index.js'), import('/test/runtime/mcp-agent.js')]);
        const out = [];
        for (const url of ${JSON.stringify([...urls, hiddenUrl])}) out.push(await agent.runMcp(looplet, mcp, url));
        return out;
      })()`) as unknown[];
      expect(results.slice(0, 2)).toEqual([expected('legacy'), expected('current')]);
      expect(results[2]).toEqual({ error: { name: 'McpError', code: 'cors', message: expect.stringContaining('Access-Control-Expose-Headers: Mcp-Session-Id') } });

      // a server that asks mid-call (input_required): the run pauses, the tab reloads, the answer resumes it
      await page.goto(`http://127.0.0.1:${(files.address() as AddressInfo).port}/test/runtime/idb.html`);
      const setup = `
        const looplet = await import('/dist/index.js');
        const { mcpClient } = await import('/dist/mcp/index.js');
        const { indexedDBStore } = await import('/dist/stores/idb.js');
        const store = indexedDBStore({ dbName: 'mcp-tab' });
        const client = mcpClient({ url: ${JSON.stringify(current.url)}, name: 'files' });
        const tools = await client.listTools();
        const llm = { async generate(req) {
          const told = req.messages.filter((m) => m.role === 'tool');
          return told.length ? { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: told[0].content } }] } : { toolCalls: [{ id: 'del', name: 'delete_file', arguments: { path: '/tmp/a.txt' } }] };
        } };
        const hooks = [new looplet.CheckpointHook({ store, runId: 'tab' })];`;
      const first = await page.evaluate(`(async () => { ${setup}
        const out = await looplet.collect(looplet.composableLoop({ llm, tools, task: 'Clean up', runId: 'tab', hooks }));
        await store.close(); await client.close();
        return { status: out.outcome.status, pending: out.outcome.pending.map((p) => ({ reason: p.reason, schema: p.schema })) };
      })()`);
      expect(first).toEqual({ status: 'paused', pending: [{ reason: 'files asks: Delete /tmp/a.txt?', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } }] });
      await page.reload();
      const second = await page.evaluate(`(async () => { ${setup}
        const out = await looplet.collect(looplet.resumeFrom(store, 'tab', { llm, tools, hooks, decisions: { del: looplet.edit({ ok: true }) } }));
        await store.close(); await client.close();
        return { status: out.outcome.status, answer: out.outcome.answer };
      })()`);
      expect(second).toEqual({ status: 'done', answer: 'deleted /tmp/a.txt' });
    } finally {
      await browser.close();
      files.closeAllConnections();
      await new Promise((ok) => files.close(ok));
    }
  });
});
