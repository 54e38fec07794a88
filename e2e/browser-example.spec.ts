import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';

// examples/browser, built and served by this file (the main config's webServer serves the playground):
// a run pauses before `publish`, survives a reload, and is approved once.
const configFile = fileURLToPath(new URL('../examples/browser/vite.config.ts', import.meta.url));
let outDir = '';
let server: PreviewServer | undefined;
let url = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  outDir = await mkdtemp(join(tmpdir(), 'looplet-browser-example-'));
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  // port 0: the system picks a free one (never the main config's 4174)
  server = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the preview server has no port');
  url = `http://127.0.0.1:${address.port}/`;
});

test.afterAll(async () => {
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const runs = (page: Page) => page.getByRole('region', { name: 'Runs' });
const panel = (page: Page) => page.getByRole('main');
const waiting = (page: Page) => runs(page).getByRole('group', { name: 'Waiting for approval: publish' });
const outbox = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('looplet-example:outbox') ?? '[]') as unknown[]);

test('run on the scripted model, reload during the approval pause, approve: publish runs exactly once', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url);
  await expect(page.getByLabel('Model kind')).toHaveValue('scripted');
  await page.getByRole('button', { name: 'Run', exact: true }).click();

  // the run pauses before publish: in the page and in the panel, nothing published yet
  await expect(waiting(page)).toContainText('Weekly update');
  await expect(runs(page).getByLabel('Status')).toHaveText('paused');
  await expect(panel(page).getByLabel('Run status')).toHaveText('● paused');
  await expect(panel(page).getByRole('row', { name: /^Step 1 read_notes ok/ })).toBeVisible();
  expect(await outbox(page)).toHaveLength(0);

  // a reload: the run is read back from IndexedDB, still waiting, and its steps are in the panel again
  await page.reload();
  await expect(waiting(page)).toContainText('Weekly update');
  await expect(panel(page).getByLabel('Run status')).toHaveText('● paused');
  await expect(panel(page).getByRole('row', { name: /^Step 1 read_notes ok/ })).toBeVisible();
  await expect(panel(page).getByRole('region', { name: 'Pending approvals' })).toContainText('publish');

  await waiting(page).getByRole('button', { name: 'Approve' }).click();
  await expect(runs(page).getByLabel('Status')).toHaveText('done');
  await expect(runs(page).getByLabel('Answer')).toHaveText('The weekly update is published.');
  await expect(waiting(page)).toHaveCount(0);

  // the panel shows the run's steps, the approved call included
  await expect(panel(page).getByLabel('Run status')).toHaveText('● done');
  await expect(panel(page).getByRole('row', { name: /^Step 2 publish ok/ })).toBeVisible();
  await expect(panel(page).getByRole('row', { name: /^Step 3 done ok/ })).toBeVisible();

  // one approval, one post
  await expect(page.getByRole('region', { name: 'Outbox' }).getByRole('listitem')).toHaveCount(1);
  expect(await outbox(page)).toHaveLength(1);
  // and still one after another reload (nothing runs again on load)
  await page.reload();
  await expect(runs(page).getByLabel('Status')).toHaveText('done');
  expect(await outbox(page)).toHaveLength(1);
  expect(errors).toEqual([]);
});

/** Everything the page keeps: localStorage and both IndexedDB databases (checkpoints, trace), as one string. */
const stored = (page: Page) => page.evaluate(async () => {
  const dump = async (name: string, store: string) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    const all = await new Promise<unknown[]>((ok, fail) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result as unknown[]); r.onerror = () => fail(r.error); });
    db.close();
    return JSON.stringify(all);
  };
  return [JSON.stringify(localStorage), await dump('looplet-example', 'checkpoints'), await dump('looplet-example-trace', 'events')].join('\n');
});

/** An OpenAI-compatible endpoint (streamed Chat Completions) playing the same script as the scripted model. */
function chatChunks(toolMessages: number): string {
  const call = (name: string, args: unknown) => ({ index: 0, id: `call_${toolMessages}`, type: 'function', function: { name, arguments: JSON.stringify(args) } });
  const next = [
    call('read_notes', {}),
    call('publish', { title: 'Weekly update', body: '- from the endpoint' }),
    call('done', { answer: 'Published via the endpoint.' }),
  ][Math.min(toolMessages, 2)];
  return [
    { choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [next] }, finish_reason: null }] },
    { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    { choices: [], usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } },
  ].map((c) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', ...c })}\n\n`).join('') + 'data: [DONE]\n\n';
}

test('an OpenAI-compatible endpoint: the key is sent to it, and kept nowhere but this tab', async ({ page }) => {
  const KEY = 'sk-example-0123456789abcdefXYZ';
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, OPTIONS' };
  const auth: string[] = [];
  await page.route('http://llm.test/v1/chat/completions', async (route) => {
    const req = route.request();
    if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    auth.push((await req.allHeaders())['authorization'] ?? '');
    const body = req.postDataJSON() as { model: string; messages: { role: string }[] };
    expect(body.model).toBe('my-model');
    return route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'text/event-stream' }, body: chatChunks(body.messages.filter((m) => m.role === 'tool').length) });
  });
  await page.goto(url);
  await page.getByLabel('Model kind').selectOption('openai');
  await page.getByLabel('Endpoint URL').fill('http://llm.test/v1');
  await page.getByLabel('Model name').fill('my-model');
  await page.getByLabel('API key (this tab only)').fill(KEY);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(waiting(page)).toContainText('from the endpoint');

  await page.reload(); // the settings come back from localStorage, the key from sessionStorage
  await expect(page.getByLabel('API key (this tab only)')).toHaveValue(KEY);
  await waiting(page).getByRole('button', { name: 'Approve' }).click();
  await expect(runs(page).getByLabel('Answer')).toHaveText('Published via the endpoint.');
  expect(await outbox(page)).toHaveLength(1);

  expect(auth).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`, `Bearer ${KEY}`]);
  const everything = await stored(page);
  expect(everything).toContain('Published via the endpoint.'); // the dump did read the checkpoint and the trace
  expect(everything).not.toContain(KEY);
  expect(everything).not.toContain(KEY.slice(3, 20));
});
