import { expect, test, type Page } from '@playwright/test';
import { freshPlayground } from './fresh.ts';

// The playground's coding demo in Chromium: the coding agent over an in-browser workspace (OPFS,
// or IndexedDB), `run` executing JavaScript in a Web Worker after approval in the panel.
// Each test starts from a clean origin: no saved runs, checkpoints, traces or workspace files.
const DBS = ['looplet-playground-coding', 'looplet-playground-coding-trace', 'looplet-playground-coding-files'];

async function freshCoding(page: Page, query = ''): Promise<void> {
  await freshPlayground({ page });
  await page.evaluate(async (dbs) => {
    for (const name of dbs) await new Promise((ok) => { const r = indexedDB.deleteDatabase(name); r.onsuccess = r.onerror = r.onblocked = () => ok(null); });
    const top = await navigator.storage.getDirectory();
    for await (const name of top.keys()) await top.removeEntry(name, { recursive: true });
  }, DBS);
  await page.goto(`/?demo=coding${query}`);
  await expect(page.getByLabel('Demo')).toHaveValue('coding');
}

const status = (page: Page) => page.getByLabel('Run status');
const pending = (page: Page) => page.getByRole('region', { name: 'Pending approvals' });
const files = (page: Page) => page.getByRole('list', { name: 'Workspace files' });
const lastRun = (page: Page) => page.getByRole('region', { name: 'Last run' });

async function runUntilApproval(page: Page) {
  await page.getByRole('button', { name: 'Run coding agent' }).click();
  await expect(page.getByRole('row', { name: /^Step 1 list ok/ })).toBeVisible();
  await expect(status(page)).toHaveText('● paused', { timeout: 15_000 });
  await expect(pending(page)).toContainText('node fizzbuzz.test.js');
}

async function expectFiles(page: Page) {
  await expect(files(page).getByRole('button')).toHaveText(['fizzbuzz.js', 'fizzbuzz.test.js']);
}

async function approveAndPass(page: Page) {
  await pending(page).getByRole('button', { name: 'Approve' }).click();
  await expect(status(page)).toHaveText('● done', { timeout: 15_000 });
  await expect(page.getByRole('row', { name: /^Step 6 run ok/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Step 7 done ok/ })).toBeVisible();
  await expect(lastRun(page).getByLabel('Run outcome')).toHaveText('exit code 0');
  await expect(lastRun(page).getByLabel('Run output')).toHaveText('fizzbuzz: all tests passed');
  await expect(page.getByLabel('Run summary')).toContainText('answer: Implemented fizzbuzz in fizzbuzz.js and tested it');
  await expect(pending(page)).toHaveCount(0);
}

test('the run waits for approval; after a reload the workspace and the approval are still there; approve: the test passes in the worker', async ({ page }) => {
  await freshCoding(page);
  await expect(page.getByRole('complementary', { name: 'Workspace' })).toContainText('Origin Private File System');
  await runUntilApproval(page);
  await expectFiles(page);
  await expect(lastRun(page).getByLabel('Waiting for approval')).toContainText('node fizzbuzz.test.js');
  await expect(pending(page)).toContainText('run needs approval: it runs workspace JavaScript in a Web Worker');

  await page.reload();
  await expect(status(page)).toHaveText('● paused');
  await expect(pending(page)).toContainText('node fizzbuzz.test.js');
  await expectFiles(page);
  await expect(lastRun(page).getByLabel('Waiting for approval')).toContainText('node fizzbuzz.test.js');
  await files(page).getByRole('button', { name: 'fizzbuzz.js' }).click();
  await expect(page.getByLabel('File contents')).toContainText("const word = (n % 3 === 0 ? 'Fizz' : '')"); // the edit landed
  await page.screenshot({ path: 'test-results/screens/coding-paused.png' });

  await approveAndPass(page);
  await expect(page.getByLabel('Run', { exact: true })).toHaveCount(0); // one run, resumed, not a second one
  await page.screenshot({ path: 'test-results/screens/coding-done.png' });
});

test('JSON-in-text tool calls over the IndexedDB workspace: the same session, through a reload', async ({ page }) => {
  await freshCoding(page, '&workspace=indexeddb');
  await expect(page.getByRole('complementary', { name: 'Workspace' })).toContainText('IndexedDB');
  await page.getByLabel('JSON-in-text tool calls').check();
  await runUntilApproval(page);
  await page.getByRole('row', { name: /^Step 2 write/ }).click();
  await page.getByRole('tab', { name: 'Reply' }).click();
  await expect(page.getByRole('region', { name: /Step 2 detail/ })).toContainText('"tool": "write"'); // the call came as JSON in the text
  await page.reload();
  await expect(pending(page)).toContainText('node fizzbuzz.test.js');
  await expectFiles(page);
  await approveAndPass(page);
});

test('a small context budget: the session is compacted as it goes and still finishes', async ({ page }) => {
  await freshCoding(page);
  await page.getByLabel('Context budget (tokens)').fill('300');
  await runUntilApproval(page);
  await approveAndPass(page);
  await expect(page.getByLabel('Run summary')).toContainText(/\d+ compactions?/);
  await page.getByRole('row', { name: /^Step 7 done/ }).click();
  await page.getByRole('tab', { name: 'Hooks' }).click();
  await expect(page.getByRole('list', { name: 'Decisions about this step' })).toContainText('compaction · compactChain(pruneToolResults, stubOldFileContents, truncate)');
});

test('run is fenced: fetch fails at once, an endless loop is killed at its time limit, the page stays responsive', async ({ page }) => {
  await freshCoding(page);
  const origin = new URL(page.url()).origin;
  const outside: string[] = [];
  page.on('request', (r) => { if (new URL(r.url()).origin !== origin && !r.url().startsWith('blob:')) outside.push(r.url()); });
  await page.getByLabel('Scripted session').selectOption('sandbox');
  await page.getByRole('button', { name: 'Run coding agent' }).click();
  await expect(pending(page)).toContainText('node net.js');
  await pending(page).getByRole('button', { name: 'Approve' }).click();

  await expect(pending(page)).toContainText('node loop.js');
  await expect(lastRun(page).getByLabel('Run outcome')).toHaveText('exit code 1');
  await expect(lastRun(page).getByLabel('Run output')).toContainText('fetch is not available in this sandbox: it has no network.');

  await pending(page).getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('navigation', { name: 'Playground' }).getByRole('status')).toHaveText('running…');
  // while the worker spins, the page answers and its controls work
  const t = Date.now();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  expect(Date.now() - t).toBeLessThan(500);
  await files(page).getByRole('button', { name: 'loop.js' }).click();
  await expect(page.getByLabel('File contents')).toContainText('while (true) {}');

  await expect(status(page)).toHaveText('● done', { timeout: 15_000 });
  await expect(lastRun(page).getByLabel('Run outcome')).toHaveText('killed at its time limit');
  await expect(lastRun(page).getByLabel('Run output')).toContainText('looping…');
  await expect(lastRun(page).getByLabel('Run output')).toContainText('still running after 2 s');
  await expect(page.getByLabel('Run summary')).toContainText('The sandbox held');
  expect(outside).toEqual([]);
});

test('a reload while run executes: the run is offered to continue, and the cut-off call waits for approval again', async ({ page }) => {
  await freshCoding(page);
  await page.getByLabel('Scripted session').selectOption('sandbox');
  await page.getByRole('button', { name: 'Run coding agent' }).click();
  await pending(page).getByRole('button', { name: 'Approve' }).click();
  await expect(pending(page)).toContainText('node loop.js');
  await pending(page).getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('navigation', { name: 'Playground' }).getByRole('status')).toHaveText('running…');
  // reload only once the checkpoint says the call is running (before that, the approval is not saved yet)
  await expect.poll(() => page.evaluate(() => new Promise<boolean>((ok) => {
    const open = indexedDB.open('looplet-playground-coding');
    open.onerror = () => ok(false);
    open.onsuccess = () => {
      const all = open.result.transaction('checkpoints').objectStore('checkpoints').getAll();
      all.onsuccess = () => { ok(JSON.stringify(all.result).includes('"state":"running"')); open.result.close(); };
      all.onerror = () => ok(false);
    };
  })), { timeout: 10_000, intervals: [50] }).toBe(true);
  await page.reload(); // the worker dies with the page, mid-run
  await page.getByRole('button', { name: 'Continue the interrupted run' }).click();
  // run is not safe to repeat blindly: it comes back paused, for a human to say
  await expect(pending(page)).toContainText('node loop.js');
  await pending(page).getByRole('button', { name: 'Approve' }).click();
  await expect(status(page)).toHaveText('● done', { timeout: 15_000 });
  await expect(page.getByLabel('Run summary')).toContainText('The sandbox held');
});

test('commands and paths outside the workspace are refused without asking', async ({ page }) => {
  await freshCoding(page);
  await page.getByLabel('Scripted session').selectOption('escape');
  await page.getByRole('button', { name: 'Run coding agent' }).click();
  await expect(status(page)).toHaveText('● done', { timeout: 15_000 });
  await expect(page.getByRole('row', { name: /^Step \d+ run denied/ })).toHaveCount(4);
  await expect(page.getByRole('row', { name: /^Step 2 read error/ })).toBeVisible();
  await expect(page.getByLabel('Run summary')).toContainText('every attempt was refused');
  await expect(page.getByText('No files yet.')).toBeVisible();
});
