import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { freshPlayground } from './fresh.ts';

// Every flow against the built playground in Chromium. Each test starts from a clean origin.
test.beforeEach(freshPlayground);

const status = (page: Page) => page.getByLabel('Run status');
const savedFile = (page: Page, path: string) => page.evaluate((p) => localStorage.getItem(`looplet-playground:file:${p}`), path);

async function runUntilPaused(page: Page) {
  await page.getByRole('button', { name: 'Run demo agent' }).click();
  // steps appear one by one as the scripted model answers
  await expect(page.getByRole('row', { name: /^Step 1 load ok/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Step 3 clean ok/ })).toBeVisible();
  await expect(status(page)).toHaveText('● paused');
  await expect(page.getByRole('region', { name: 'Pending approvals' })).toContainText('save needs approval');
}

test('run the demo, pause before save, approve: the run finishes and save ran once', async ({ page }) => {
  await runUntilPaused(page);
  expect(await savedFile(page, 'users.clean.csv')).toBeNull();
  await page.screenshot({ path: 'test-results/screens/paused.png' });
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(status(page)).toHaveText('● done');
  await expect(page.getByRole('row', { name: /^Step 4 save ok/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Step 5 done ok/ })).toBeVisible();
  expect(await savedFile(page, 'users.clean.csv')).toBe('id,name,email\n1,Ada,ada@example.com\n2,unknown,grace@example.com\n3,Linus,unknown\n');
  await expect(page.getByRole('region', { name: 'Pending approvals' })).toHaveCount(0);
  // one run, not one per resume
  await expect(page.getByLabel('Run', { exact: true })).toHaveCount(0);
  await page.getByRole('row', { name: /^Step 4 save/ }).click();
  await page.screenshot({ path: 'test-results/screens/done.png' });
});

test('reject with a reason: the model reads the reason in its next prompt, and nothing is saved', async ({ page }) => {
  await runUntilPaused(page);
  await page.getByRole('button', { name: 'Reject' }).click();
  await page.getByLabel('Reason for rejecting').fill('keep the NULLs for audit');
  await page.getByRole('button', { name: 'Reject' }).click();
  await expect(status(page)).toHaveText('● done');
  await expect(page.getByRole('row', { name: /^Step 4 save denied/ })).toBeVisible();
  await page.getByRole('row', { name: /^Step 5 done/ }).click();
  await page.getByRole('tab', { name: 'Prompt' }).click();
  await expect(page.getByLabel('Prompt the model saw')).toContainText('Denied: keep the NULLs for audit');
  expect(await savedFile(page, 'users.clean.csv')).toBeNull();
});

test('edit arguments: invalid JSON or args that fail the schema cannot be sent; valid ones run', async ({ page }) => {
  await runUntilPaused(page);
  await page.getByRole('button', { name: 'Edit arguments' }).click();
  const box = page.getByLabel('Arguments (JSON)');
  const send = page.getByRole('button', { name: 'Run with these arguments' });
  await box.fill('{"path": ');
  await expect(page.getByRole('alert')).toContainText('Not valid JSON');
  await expect(send).toBeDisabled();
  await box.fill('{"path": "../../etc/passwd"}');
  await expect(page.getByRole('alert')).toContainText('must match pattern');
  await expect(send).toBeDisabled();
  await box.fill('{"path": "audited.csv"}');
  await send.click();
  await expect(status(page)).toHaveText('● done');
  expect(await savedFile(page, 'audited.csv')).toContain('Linus');
  expect(await savedFile(page, 'users.clean.csv')).toBeNull();
});

test('reload during the pause: the run is still there, waiting; approve and it finishes', async ({ page }) => {
  await runUntilPaused(page);
  await page.reload();
  await expect(status(page)).toHaveText('● paused');
  await expect(page.getByRole('region', { name: 'Pending approvals' })).toContainText('save');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(status(page)).toHaveText('● done');
  expect(await savedFile(page, 'users.clean.csv')).toContain('Ada');
});

test('the prompt diff shows what the model saw added since the previous step', async ({ page }) => {
  await runUntilPaused(page);
  await page.getByRole('row', { name: /^Step 3 clean/ }).click();
  await page.keyboard.press('d');
  const diff = page.getByLabel(/Prompt of step 3 against step 2/);
  await expect(diff).toContainText('+ ## tool inspect (call-inspect)');
  await expect(diff).toContainText('unchanged lines');
});

test('keyboard: j/k move between steps, Enter opens, / searches', async ({ page }) => {
  await runUntilPaused(page);
  await page.getByRole('row', { name: /^Step 1 / }).click();
  await page.keyboard.press('j');
  await expect(page.getByRole('row', { name: /^Step 2 / })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('k');
  await expect(page.getByRole('row', { name: /^Step 2 / })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Step 2 detail' })).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Filter steps')).toBeFocused();
  await page.keyboard.type('tool:load');
  await expect(page.getByRole('row', { name: /^Step \d/ })).toHaveCount(1);
});

test('save the trace: JSONL that parses, with no key in it; open it again', async ({ page }) => {
  await page.evaluate(() => sessionStorage.setItem('looplet-playground:key', 'sk-planted-secret-1234567890'));
  await runUntilPaused(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save trace' }).click()]);
  const text = await readFile((await download.path())!, 'utf8');
  expect(text).not.toContain('sk-planted-secret');
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  expect(lines[0]!.type).toBe('run.start');
  expect(await page.content()).not.toContain('sk-planted-secret');
  const dbText = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok) => { const r = indexedDB.open('looplet-playground'); r.onsuccess = () => ok(r.result); });
    const all = await new Promise<unknown[]>((ok) => { const r = db.transaction('checkpoints').objectStore('checkpoints').getAll(); r.onsuccess = () => ok(r.result); });
    return JSON.stringify(all);
  });
  expect(dbText).not.toContain('sk-planted-secret');
  await page.getByLabel('Open trace').setInputFiles({ name: 'run.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  await expect(page.getByRole('row', { name: /^Step 4 save paused/ })).toBeVisible();
});

test('a malformed trace file: bad lines are reported with their numbers, the rest is shown', async ({ page }) => {
  const good = (i: number) => JSON.stringify({ v: 1, type: 'step', runId: 'r1', step: i, ts: 0, record: { index: i, status: 'ok', toolCall: { id: `c${i}`, name: 'read', args: { i } }, toolResult: { data: i, durationMs: 1 }, timing: { llmMs: 1, toolMs: 1 } } });
  const text = [good(1), '{not json', good(2), '{"v":1}', good(3)].join('\n');
  await page.getByLabel('Open trace').setInputFiles({ name: 'bad.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  await expect(page.getByRole('alert')).toContainText('2 malformed lines skipped: line 2: not valid JSON');
  await expect(page.getByRole('alert')).toContainText('line 4:');
  await expect(page.getByRole('row', { name: /^Step \d read/ })).toHaveCount(3);
});

const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">', '<svg onload="window.__pwned=1">', '<script>window.__pwned=1</script>', 'javascript:window.__pwned=1',
  '[click](javascript:window.__pwned=1)', '<a href="javascript:window.__pwned=1">x</a>', '<iframe src="javascript:window.__pwned=1"></iframe>',
  '<body onload="window.__pwned=1">', '<details open ontoggle="window.__pwned=1">', '<video><source onerror="window.__pwned=1"></video>',
  '"><img src=x onerror=window.__pwned=1>', "'><svg/onload=window.__pwned=1>", '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
  '<object data="javascript:window.__pwned=1">', '<embed src="javascript:window.__pwned=1">', '<form action="javascript:window.__pwned=1"><button>x</button></form>',
  '<input autofocus onfocus="window.__pwned=1">', '<marquee onstart="window.__pwned=1">', '<style>@import "http://127.0.0.1:9/x.css";</style>',
  '<link rel=stylesheet href="http://127.0.0.1:9/x.css">', '<img src="http://127.0.0.1:9/track.png">', '![x](http://127.0.0.1:9/img.png)',
  '\u202Eevil\u202C', 'zero\u200Bwidth', 'nul\u0000byte', '{{constructor.constructor("window.__pwned=1")()}}', '${alert(1)}',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">', '<base href="javascript:/">', 'x'.repeat(1_000_000),
];

test('hostile trace content is shown as text: no script runs, no request leaves the page', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith('http://127.0.0.1:4174/')) requests.push(r.url()); });
  page.on('dialog', (d) => { requests.push(`dialog:${d.message()}`); void d.dismiss(); });
  const events = PAYLOADS.map((p, i) => JSON.stringify({
    v: 1, type: 'step', runId: 'xss', step: i + 1, ts: 0,
    record: { index: i + 1, status: 'ok', toolCall: { id: `c${i}`, name: i % 2 ? p.slice(0, 200) : 'fetch', args: { q: p } }, toolResult: { data: { html: p }, durationMs: 1 }, timing: { llmMs: 1, toolMs: 1 } },
  }));
  await page.getByLabel('Open trace').setInputFiles({ name: 'xss.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(events.join('\n')) });
  await expect(page.getByRole('row', { name: /^Step 1 / })).toBeVisible();
  for (const i of [1, 2, 3, 23, 25]) {
    await page.getByRole('row', { name: new RegExp(`^Step ${i} `) }).click();
    await page.getByRole('tab', { name: 'Result' }).click();
  }
  await expect(page.getByLabel('result')).toContainText(String.raw`nul\u0000byte`); // step 25: NUL shown escaped, not swallowed
  await page.getByRole('row', { name: /^Step 23 / }).click();
  await expect(page.getByLabel('result')).toContainText('⟨U+202E⟩evil⟨U+202C⟩');
  await page.getByRole('row', { name: /^Step 30 / }).click();
  await expect(page.getByRole('button', { name: /Show all/ })).toBeVisible(); // the 1 MB line is cut, not frozen
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('.lp-root img, .lp-root svg, .lp-root iframe, .lp-root script, .lp-root a[href]').count()).toBe(0);
  expect(requests).toEqual([]);
});

test('a 10,000-step trace opens and scrolls with a bounded number of rows', async ({ page }) => {
  await page.getByRole('button', { name: 'Open 10,000-step sample' }).click();
  await expect(page.getByRole('row', { name: /^Step 1 read_row/ })).toBeVisible({ timeout: 15_000 }).catch(async () => {
    // follow mode shows the end first
    await expect(page.getByRole('row', { name: /^Step 10000 done/ })).toBeVisible();
  });
  const rows = await page.locator('.lp-row[aria-rowindex]').count();
  expect(rows).toBeLessThanOrEqual(60);
  await page.getByRole('grid', { name: 'Steps' }).evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(page.getByRole('row', { name: /^Step 10000 done ok/ })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Steps' })).toHaveAttribute('aria-rowcount', '10001');
  await page.screenshot({ path: 'test-results/screens/10k.png' });
});

test('dark theme and the panel screenshot for the README', async ({ page }) => {
  await runUntilPaused(page);
  await page.getByRole('row', { name: /^Step 3 clean/ }).click();
  await page.getByRole('tab', { name: 'Diff' }).click();
  await expect(page.getByRole('region', { name: 'Waterfall' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/panel.png' }); // docs/panel.png is a copy of this
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('.lp-root.lp-dark')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/screens/dark.png' }); // docs/panel-dark.png is a copy of this
});

test('axe-core: no serious or critical accessibility findings, light and dark', async ({ page }) => {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  await runUntilPaused(page);
  await page.getByRole('row', { name: /^Step 2 / }).click();
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.passes.length).toBeGreaterThan(20); // axe really looked at the page
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${theme}: ${v.id} (${v.nodes.length}) ${v.help}`);
    expect(bad).toEqual([]);
  }
});

test('watch a run streamed from a server as text/event-stream', async ({ page }) => {
  const { collect, composableLoop, MockLLMBackend, ToolRegistry, toJSONL } = await import('../lib/index.ts');
  const events: unknown[] = [];
  const tools = new ToolRegistry().register({ name: 'ping', description: 'Ping.', parameters: { type: 'object' }, execute: () => 'pong' });
  await collect(composableLoop({ llm: new MockLLMBackend([{ toolCalls: [{ id: 'p', name: 'ping', arguments: {} }] }, { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'from the worker' } }] }]), tools, task: 't', hooks: [{ onEvent: (e) => void events.push(e) }] }));
  const body = toJSONL(events as never).trim().split('\n').map((l) => `data: ${l}\n\n`).join('');
  await page.route('http://worker.test/run', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', headers: { 'access-control-allow-origin': '*' }, body }));
  await page.getByLabel('Event stream URL').fill('http://worker.test/run');
  await page.getByRole('button', { name: 'Watch' }).click();
  await expect(page.getByRole('row', { name: /^Step 1 ping ok/ })).toBeVisible();
  await expect(status(page)).toHaveText('● done');
});

test('two unrelated 100 KB prompts diff in a worker without freezing the page', async ({ page }) => {
  const big = (seed: number) => Array.from({ length: 2500 }, (_, i) => `line ${i} ${((i * 2654435761 + seed) >>> 0).toString(36).repeat(4)}`).join('\n');
  const step = (i: number) => JSON.stringify({ v: 1, type: 'step', runId: 'big', step: i, ts: 0, record: { index: i, status: 'ok', toolCall: { id: `c${i}`, name: 'read', args: {} }, toolResult: { data: i, durationMs: 1 }, timing: { llmMs: 1, toolMs: 1 } } });
  const prompt = (i: number, text: string) => JSON.stringify({ v: 1, type: 'prompt', runId: 'big', step: i, ts: 0, offset: 0, messages: [{ role: 'user', content: text }] });
  const text = [prompt(1, big(1)), step(1), prompt(2, big(2)), step(2)].join('\n');
  await page.getByLabel('Open trace').setInputFiles({ name: 'big.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  await page.getByRole('row', { name: /^Step 2 / }).click();
  const t = Date.now();
  await page.getByRole('tab', { name: 'Diff' }).click();
  // the page answers while the diff runs
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  await expect(page.getByLabel(/Prompt of step 2 against step 1/)).toContainText(/lines/);
  expect(Date.now() - t).toBeLessThan(3000);
});

test('diff against any step: pick the baseline', async ({ page }) => {
  await runUntilPaused(page);
  await page.getByRole('row', { name: /^Step 3 clean/ }).click();
  await page.getByRole('tab', { name: 'Diff' }).click();
  await page.getByLabel('Compare with step').selectOption('1');
  const diff = page.getByLabel(/Prompt of step 3 against step 1/);
  await expect(diff).toContainText('+ ## tool load (call-load)');
  await expect(diff).toContainText('+ ## tool inspect (call-inspect)');
});

test('paste a trace', async ({ page }) => {
  const line = JSON.stringify({ v: 1, type: 'step', runId: 'pasted', step: 1, ts: 0, record: { index: 1, status: 'error', toolCall: { id: 'c', name: 'paste_me', args: {} }, toolResult: { error: { kind: 'tool_error', message: 'boom', retriable: false }, durationMs: 1 }, timing: { llmMs: 1, toolMs: 1 } } });
  await page.getByText('Paste trace').click();
  await page.getByLabel('Trace to open (JSONL)').fill(line);
  await page.getByRole('button', { name: 'Open pasted trace' }).click();
  await expect(page.getByRole('row', { name: /^Step 1 paste_me error/ })).toBeVisible();
});

test('a finished run takes a follow-up message: a second turn that reads the first', async ({ page }) => {
  await page.getByRole('button', { name: 'Run demo agent' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('● paused');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('● done');
  await page.getByLabel('Follow-up message').fill('Where did you put the file?');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByLabel('Conversation')).toContainText('turn 2: “Where did you put the file?”');
  await expect(page.getByLabel('Run status')).toHaveText('● done');
  await expect(page.getByLabel('Run summary')).toContainText('answer: You asked: "Where did you put the file?". The cleaned file is at');
  await page.getByRole('row', { name: /^Step 1 done/ }).click();
  await page.getByRole('tab', { name: 'Call' }).click();
  await expect(page.getByLabel('tool call', { exact: true })).toContainText('The cleaned file is at localStorage/users.clean.csv.');
  // turn 2's prompt holds all of turn 1
  await page.getByRole('tab', { name: 'Prompt' }).click();
  await expect(page.getByLabel('Prompt the model saw')).toContainText('tool result · save');
  const picker = page.getByLabel('Run', { exact: true });
  await expect(picker.locator('optgroup option')).toHaveCount(2);
});
