import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

// examples/chat-ui in Chromium: a page made with useChat (@ai-sdk/react) talking to a Node
// server that runs looplet. A refund waits for approval, survives a reload, is approved once.
const root = fileURLToPath(new URL('..', import.meta.url));
let server: ChildProcess | undefined;
let url = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = spawn('node_modules/.bin/tsx', ['examples/chat-ui/server.ts', '--port', '0'], { cwd: root, env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', SCRIPTED_DELAY_MS: '5' } });
  url = await new Promise<string>((ok, fail) => {
    let out = '';
    server!.stdout!.on('data', (d: Buffer) => { out += d; const m = /chat-ui: (http:\S+)/.exec(out); if (m) ok(m[1]!); });
    server!.stderr!.on('data', (d: Buffer) => { out += d; });
    server!.on('exit', (code) => fail(new Error(`the chat-ui server exited (${code}): ${out}`)));
  });
});

test.afterAll(() => { server?.kill(); });

const tool = (page: Page, name: string) => page.getByTestId(`tool-${name}`).last();

test('useChat: a refund waits for approval, the approval is still there after a reload, approving resumes the run; a follow-up is turn 2', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url);
  await expect(page).toHaveURL(/\?chat=/);
  await page.getByLabel('Message').fill('Please refund order A1');
  await page.getByRole('button', { name: 'Send' }).click();

  await expect(tool(page, 'lookup_order')).toHaveAttribute('data-state', 'output-available');
  await expect(tool(page, 'refund')).toHaveAttribute('data-state', 'approval-requested');
  await expect(page.getByText('Order A1 is a Blue kettle for $42.', { exact: false })).toBeVisible();

  await page.reload();
  await expect(tool(page, 'refund')).toHaveAttribute('data-state', 'approval-requested');
  await expect(tool(page, 'lookup_order')).toContainText('Blue kettle');

  await tool(page, 'refund').getByRole('button', { name: 'Approve' }).click();
  await expect(tool(page, 'refund')).toHaveAttribute('data-state', 'output-available');
  await expect(tool(page, 'refund')).toContainText('"refunded":"A1"');
  await expect(page.getByText('Refunded order A1 in full.')).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveText('ready');

  await page.getByLabel('Message').fill('Thanks!');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('This chat has 2 messages from you so far.', { exact: false })).toBeVisible();

  // and once more after a reload: the whole chat, the refund done once
  await page.reload();
  await expect(page.locator('[data-testid="tool-refund"]')).toHaveCount(1);
  await expect(tool(page, 'refund')).toHaveAttribute('data-state', 'output-available');
  await expect(page.locator('section[data-role="assistant"]')).toHaveCount(2);
  expect(errors).toEqual([]);
});

test('useChat: a denied refund shows as denied and nothing is refunded', async ({ page }) => {
  await page.goto(url);
  await page.getByLabel('Message').fill('Refund B7 please');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(tool(page, 'refund')).toHaveAttribute('data-state', 'approval-requested');
  await tool(page, 'refund').getByLabel('Reason').fill('Not eligible');
  await tool(page, 'refund').getByRole('button', { name: 'Deny' }).click();
  await expect(tool(page, 'refund')).toHaveAttribute('data-state', 'output-denied');
  await expect(page.getByText('The refund of B7 was not approved, so nothing was refunded.')).toBeVisible();
});
