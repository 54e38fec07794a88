import { expect, test, type Page } from '@playwright/test';
import { freshPlayground } from './fresh.ts';

// The panel's defects and views, as a user meets them (by role and visible text), in the built playground.
test.beforeEach(freshPlayground);

const grid = (page: Page) => page.getByRole('grid', { name: 'Steps' });
const ev = (e: Record<string, unknown>) => JSON.stringify({ v: 1, ts: 0, ...e });
const stepEvent = (runId: string, i: number, name = 'read', ts = 0) => ev({ type: 'step', runId, step: i, ts, record: { index: i, status: 'ok', toolCall: { id: `c${i}`, name, args: { i } }, toolResult: { data: i, durationMs: 1 }, timing: { llmMs: 1, toolMs: 1 } } });

async function openText(page: Page, text: string) {
  await page.getByLabel('Open trace').setInputFiles({ name: 'trace.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
}

async function runDemoUntilPaused(page: Page) {
  await page.getByRole('button', { name: 'Run demo agent' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('● paused');
}

test('keyboard navigation keeps working through a trace far longer than a screen', async ({ page }) => {
  await page.getByRole('button', { name: 'Open 10,000-step sample' }).click();
  await page.getByRole('row', { name: /^Step 1 read_row/ }).click();
  await page.keyboard.press('End');
  await expect(page.getByRole('row', { name: /^Step 10000 done/ })).toHaveAttribute('aria-selected', 'true');
  for (let i = 0; i < 3; i++) await page.keyboard.press('k');
  await expect(page.getByRole('row', { name: /^Step 9997 / })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(page.getByRole('row', { name: /^Step 1 / })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('PageDown');
  await page.keyboard.press('j');
  // focus never fell to the page: the grid still has it, and its active row is the selected one
  await expect(grid(page)).toBeFocused();
  const active = await grid(page).getAttribute('aria-activedescendant');
  await expect(page.locator(`[id="${active}"]`)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: /^Step \d+ detail/ })).toBeVisible();
});

test('after an approval, the step still shows the pause and who answered it', async ({ page }) => {
  await runDemoUntilPaused(page);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('● done');
  await page.getByRole('row', { name: /^Step 4 save ok/ }).click();
  await page.getByRole('tab', { name: 'Hooks' }).click();
  const list = page.getByRole('list', { name: 'Decisions about this step' });
  await expect(list).toContainText('ApprovalHook · preDispatch → pause: save needs approval');
  await expect(list).toContainText('human → approve');
});

test('totals are written for people, the answer as text, and six-digit step numbers fit', async ({ page }) => {
  const run = 'big';
  const lines = [
    ev({ type: 'run.start', runId: run, step: 0, ts: 1_000, task: 'Count a lot', config: { maxSteps: 200000, toolCallMode: 'native', parallelToolCalls: true }, tools: [] }),
    stepEvent(run, 123456),
    ev({ type: 'run.end', runId: run, step: 123456, ts: 1_501_000, outcome: { status: 'done', runId: run, steps: 123456, answer: 'Cleaned and saved "all" rows', usage: { inputTokens: 10_010_100, outputTokens: 1_500, totalTokens: 10_011_600 } }, usage: { inputTokens: 10_010_100, outputTokens: 1_500, totalTokens: 10_011_600 } }),
  ];
  await openText(page, lines.join('\n'));
  const head = page.getByRole('banner', { name: 'Run summary' }).or(page.getByLabel('Run summary'));
  await expect(head).toContainText('10.0M in / 1.5k out');
  await expect(head).toContainText('25m 0s');
  await expect(head).toContainText('answer: Cleaned and saved "all" rows');
  await expect(head).not.toContainText('\\"');
  const cell = page.getByRole('row', { name: /^Step 123456 / }).getByRole('gridcell').first();
  await expect(cell).toHaveText('#123456');
  expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
});

test('a file opens at its first step; a live run follows its newest, with a visible toggle', async ({ page }) => {
  await page.getByRole('button', { name: 'Open 10,000-step sample' }).click();
  // parsing 10,000 steps in a worker: seconds on a loaded 2-core box
  await expect(page.getByRole('row', { name: /^Step 1 read_row/ })).toBeVisible({ timeout: 20_000 });
  expect(await grid(page).evaluate((el) => el.scrollTop)).toBe(0);
  await expect(page.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'false');
  // a live run: following, and the toggle says so
  await page.reload();
  await runDemoUntilPaused(page);
  await expect(page.getByRole('button', { name: 'Following' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Following' }).click();
  await expect(page.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'false');
});

test('a watch URL that fails says so', async ({ page }) => {
  await page.route('http://worker.test/missing', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.getByLabel('Event stream URL').fill('http://worker.test/missing');
  await page.getByRole('button', { name: 'Watch' }).click();
  await expect(page.getByRole('alert')).toContainText('http://worker.test/missing');
});

test('a filter that matches nothing says so', async ({ page }) => {
  await runDemoUntilPaused(page);
  await page.getByLabel('Filter steps').fill('tool:nothing_like_this');
  await expect(page.getByRole('status').filter({ hasText: 'No step matches' })).toContainText('No step matches “tool:nothing_like_this”');
});

test('at 390 px wide the list and the detail stack, and every tab fits', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await runDemoUntilPaused(page);
  await page.getByRole('row', { name: /^Step 2 / }).click();
  const detail = page.getByRole('region', { name: 'Step 2 detail' });
  const box = (await detail.boundingBox())!;
  expect(box.width).toBeGreaterThan(300);
  for (const tab of await page.getByRole('tab').all()) {
    const b = (await tab.boundingBox())!;
    expect(b.x + b.width).toBeLessThanOrEqual(390);
  }
});

test('the run picker names runs by task and start time', async ({ page }) => {
  const start = (runId: string, task: string, ts: number) => ev({ type: 'run.start', runId, step: 0, ts, task, config: { maxSteps: 5, toolCallMode: 'native', parallelToolCalls: true }, tools: [] });
  await openText(page, [start('a1b2c3d4-0000', 'Clean the users table', 1_700_000_000_000), stepEvent('a1b2c3d4-0000', 1), start('e5f6a7b8-0000', { goal: 'Summarise the inbox' } as never, 1_700_000_100_000), stepEvent('e5f6a7b8-0000', 1)].join('\n'));
  const picker = page.getByLabel('Run', { exact: true });
  await expect(picker.locator('option')).toHaveCount(2);
  await expect(picker.locator('option').nth(0)).toContainText('Clean the users table');
  await expect(picker.locator('option').nth(1)).toContainText('Summarise the inbox');
  await expect(picker.locator('option').nth(0)).toContainText(/\d/);
});

test("the Reply tab shows the model's own reply: text, calls, raw response", async ({ page }) => {
  await runDemoUntilPaused(page);
  await page.getByRole('row', { name: /^Step 1 load/ }).click();
  await page.getByRole('tab', { name: 'Reply' }).click();
  const reply = page.getByLabel("The model's reply");
  await expect(reply.getByLabel('reply tool calls')).toContainText('"name": "load"');
  await reply.getByText('Raw response').click();
  await expect(reply.getByLabel('raw response')).toContainText('toolCalls');
});
