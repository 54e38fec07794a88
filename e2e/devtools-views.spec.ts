import { expect, test, type Page } from '@playwright/test';
import { freshPlayground } from './fresh.ts';

// The views people know from LangSmith, Langfuse and Redux DevTools, used as a person would:
// by role and visible text, in the built playground.
test.beforeEach(freshPlayground);

const ev = (e: Record<string, unknown>) => JSON.stringify({ v: 1, ...e });
const call = (id: string, name: string, args: Record<string, unknown> = {}) => ({ id, name, arguments: args });

/**
 * A run with a known timeline: one reply asking for two tools at once (they overlap), a tool that
 * fails, and a save that pauses for approval. Costs are known; one prompt adds a distinctive word.
 */
function timedTrace(runId = 'timed') {
  const step = (i: number, name: string, ts: number, toolMs: number, status = 'ok', extra: Record<string, unknown> = {}) =>
    ev({ type: 'step', runId, step: i, ts, record: { index: i, status, toolCall: { id: `c${i}`, name, args: { i } }, toolResult: { durationMs: toolMs, ...(status === 'error' ? { error: { kind: 'execution', message: `${name} broke` } } : { data: `${name} result ${i}` }) }, timing: { llmMs: 0, toolMs }, ...extra } });
  const usage = (cost: number) => ({ inputTokens: 1200, outputTokens: 80, totalTokens: 1280, costUsd: cost });
  return [
    ev({ type: 'run.start', runId, step: 0, ts: 10_000, task: 'Fetch two pages and save them', config: { maxSteps: 10, toolCallMode: 'native', parallelToolCalls: true }, tools: [] }),
    ev({ type: 'prompt', runId, step: 1, ts: 10_000, offset: 0, system: 'You fetch pages.', messages: [{ role: 'user', content: 'Fetch two pages and save them' }] }),
    ev({ type: 'llm.response', runId, step: 1, ts: 10_300, durationMs: 300, response: { model: 'gpt-test', toolCalls: [call('c1', 'fetch_a'), call('c2', 'fetch_b')], usage: usage(0.0123) } }),
    step(1, 'fetch_a', 10_500, 200, 'ok', { usage: usage(0.0123) }),
    step(2, 'fetch_b', 10_700, 400),
    ev({ type: 'prompt', runId, step: 3, ts: 10_700, offset: 1, messages: [{ role: 'assistant', content: '', toolCalls: [call('c1', 'fetch_a'), call('c2', 'fetch_b')] }, { role: 'tool', toolCallId: 'c1', name: 'fetch_a', content: 'page A mentions a pineapple' }, { role: 'tool', toolCallId: 'c2', name: 'fetch_b', content: 'page B' }] }),
    ev({ type: 'llm.response', runId, step: 3, ts: 10_900, durationMs: 200, response: { model: 'gpt-test', toolCalls: [call('c3', 'parse')], usage: usage(0.002) } }),
    step(3, 'parse', 11_000, 100, 'error'),
    ev({ type: 'prompt', runId, step: 4, ts: 11_000, offset: 4, messages: [{ role: 'assistant', content: '', toolCalls: [call('c3', 'parse')] }, { role: 'tool', toolCallId: 'c3', name: 'parse', content: 'Error: parse broke' }] }),
    ev({ type: 'llm.response', runId, step: 4, ts: 11_100, durationMs: 100, response: { model: 'gpt-test', toolCalls: [call('c4', 'parse')] } }),
    step(4, 'parse', 11_150, 50, 'error'),
    step(5, 'save', 11_200, 0, 'paused'),
    ev({ type: 'run.end', runId, step: 5, ts: 11_200, outcome: { status: 'paused', runId, steps: 5, pending: [] }, usage: { inputTokens: 2400, outputTokens: 160, totalTokens: 2560, costUsd: 0.0143 } }),
  ].join('\n');
}

async function openText(page: Page, text: string, name = 'trace.jsonl') {
  await page.getByLabel('Open trace').setInputFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
}

const waterfall = (page: Page) => page.getByRole('region', { name: 'Waterfall' });

test('the waterfall shows model and tool time on a time axis; parallel calls side by side; errors and pauses marked; a click selects the step', async ({ page }) => {
  await openText(page, timedTrace());
  const wf = waterfall(page);
  await expect(wf.getByRole('button', { name: /^Model call for step 1 · 300ms/ })).toBeVisible();
  const a = wf.getByRole('button', { name: /^Step 1 · fetch_a · 200ms/ });
  const b = wf.getByRole('button', { name: /^Step 2 · fetch_b · 400ms/ });
  const [ba, bb] = [(await a.boundingBox())!, (await b.boundingBox())!];
  expect(Math.abs(ba.x - bb.x)).toBeLessThan(3); // started together…
  expect(Math.abs(ba.y - bb.y)).toBeGreaterThan(8); // …so side by side, in two lanes
  expect(bb.width).toBeGreaterThan(ba.width * 1.6); // 400 ms against 200 ms
  await expect(wf.getByRole('button', { name: /^Step 3 · parse · error/ })).toHaveText('✗');
  await expect(wf.getByRole('button', { name: /^Step 5 · save · paused/ })).toHaveText('‖');
  await expect(wf).toContainText('+1.0s'); // the axis
  await wf.getByRole('button', { name: /^Step 3 · parse/ }).click();
  await expect(page.getByRole('row', { name: /^Step 3 parse/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Step 3 detail' })).toBeVisible();
});

test('drag across the waterfall to zoom into a range; reset to see it all', async ({ page }) => {
  await openText(page, timedTrace());
  const wf = waterfall(page);
  await expect(wf).toContainText('1.2s shown');
  const track = (await wf.locator('.lp-wf-track').boundingBox())!;
  const y = track.y + track.height - 3; // below the bars: a drag on the track itself
  await page.mouse.move(track.x + track.width * 0.55, y);
  await page.mouse.down();
  await page.mouse.move(track.x + track.width * 0.7, y, { steps: 5 });
  await page.mouse.move(track.x + track.width + 30, y, { steps: 5 });
  await page.mouse.up();
  await expect(wf.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
  await expect(wf).toContainText('(of 1.2s)');
  // the first model call is out of the zoomed range; the pause at the end is in it
  await expect(wf.getByRole('button', { name: /^Model call for step 1/ })).toHaveCount(0);
  await expect(wf.getByRole('button', { name: /^Step 4 · parse/ })).toBeVisible();
  // the drag did not select anything
  await expect(page.getByRole('row', { selected: true })).toHaveCount(0);
  await wf.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(wf.getByRole('button', { name: /^Model call for step 1/ })).toBeVisible();
});

test('at 10,000 steps the waterfall sums bars into columns; a column zooms in to its steps', async ({ page }) => {
  await page.getByRole('button', { name: 'Open 10,000-step sample' }).click();
  const wf = waterfall(page);
  const columns = wf.getByRole('button', { name: /^Steps \d+–\d+: / });
  await expect(columns.first()).toBeVisible({ timeout: 20_000 }); // 10,000 steps parsed in a worker first
  expect(await wf.getByRole('button').count()).toBeLessThanOrEqual(130);
  await columns.first().click();
  await expect(wf.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
  // zoomed far enough in, single bars appear (a model call or a tool call) and select their step
  const single = wf.getByRole('button', { name: /^(Step \d+ · |Model call for step \d+)/ });
  for (let i = 0; i < 8; i++) {
    await expect(wf.getByRole('button', { name: /^(Step \d+ · |Model call for step \d+|Steps \d+–\d+: )/ }).first()).toBeVisible();
    if (await single.count()) break;
    await columns.first().click();
  }
  const bar = single.first();
  const label = (await bar.getAttribute('aria-label'))!;
  await bar.click();
  const index = /step (\d+)/i.exec(label)![1];
  await expect(page.getByRole('region', { name: `Step ${index} detail` })).toBeVisible();
});

test('search finds words in prompts, arguments and results, and marks them in the detail', async ({ page }) => {
  await openText(page, timedTrace());
  await page.getByLabel('Filter steps').fill('pineapple');
  await expect(page.getByText('1 of 5 steps match')).toBeVisible();
  await page.getByRole('row', { name: /^Step 3 parse/ }).click(); // its prompt added the tool result that says it
  await expect(page.getByRole('tab', { name: 'Prompt' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Prompt the model saw').locator('mark')).toHaveText(['pineapple']);
  await page.getByLabel('Filter steps').fill('fetch_b result');
  await expect(page.getByText('1 of 5 steps match')).toBeVisible();
  await page.getByRole('row', { name: /^Step 2 fetch_b/ }).click();
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByLabel('result', { exact: true }).locator('mark')).toHaveText(['fetch_b', 'result']);
  await page.getByLabel('Filter steps').fill('no-such-word');
  await expect(page.getByText('No step matches “no-such-word” (5 steps in this run).')).toBeVisible();
});

test('next error and previous error walk the failed steps', async ({ page }) => {
  await openText(page, timedTrace());
  await expect(page.getByText('5 steps · 2 failed')).toBeVisible();
  const selectedRow = page.getByRole('row', { selected: true });
  await page.getByRole('button', { name: 'Next error' }).click();
  await expect(selectedRow).toHaveAccessibleName(/^Step 3 /);
  await page.getByRole('button', { name: 'Next error' }).click();
  await expect(selectedRow).toHaveAccessibleName(/^Step 4 /);
  await page.getByRole('button', { name: 'Previous error' }).click();
  await expect(selectedRow).toHaveAccessibleName(/^Step 3 /);
  await page.keyboard.press('e'); // the same from the keyboard
  await expect(selectedRow).toHaveAccessibleName(/^Step 4 /);
});

test('a step shows its tokens and cost; the run its totals', async ({ page }) => {
  await openText(page, timedTrace());
  await expect(page.getByLabel('Run summary')).toContainText('2.4k in / 160 out · $0.0143');
  await page.getByRole('row', { name: /^Step 1 fetch_a/ }).click();
  await expect(page.getByRole('heading', { name: /^Step 1 · fetch_a/ })).toContainText('1.2k in / 80 out · $0.0123');
});

test('the selected run, step and tab live in the URL: a reload opens the same view', async ({ page }) => {
  await page.getByRole('button', { name: 'Run demo agent' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('● paused');
  await page.getByRole('row', { name: /^Step 3 clean/ }).click();
  await page.getByRole('tab', { name: 'Diff' }).click();
  await expect(page).toHaveURL(/#.*step=3/);
  await expect(page).toHaveURL(/tab=diff/);
  const url = page.url();
  await page.reload();
  await expect(page.getByRole('row', { name: /^Step 3 clean/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Diff' })).toHaveAttribute('aria-selected', 'true');
  // a shared link opened in a fresh page shows the same
  const other = await page.context().newPage();
  await other.goto(url);
  await expect(other.getByRole('region', { name: 'Step 3 detail' })).toBeVisible();
  await expect(other.getByRole('tab', { name: 'Diff' })).toHaveAttribute('aria-selected', 'true');
});

test('copy a step as JSON, and the model request as curl with the key as a variable', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openText(page, timedTrace());
  await page.getByRole('row', { name: /^Step 3 parse/ }).click();
  await page.getByRole('button', { name: 'Copy step as JSON' }).click();
  await expect(page.getByText('Step JSON copied')).toBeVisible();
  const json = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { index: number; status: string };
  expect(json).toMatchObject({ index: 3, status: 'error' });
  await page.getByRole('button', { name: 'Copy request as curl' }).click();
  await expect(page.getByText('curl command copied')).toBeVisible();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  expect(curl).toMatch(/^curl https:\/\/api\.openai\.com\/v1\/chat\/completions/);
  expect(curl).toContain('$OPENAI_API_KEY');
  const body = JSON.parse(/-d '([\s\S]*)'$/.exec(curl)![1]!.replace(/'\\''/g, "'")) as { model: string; messages: { role: string; content: string | null }[] };
  expect(body.model).toBe('gpt-test');
  expect(body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool']);
});

test('folded unchanged lines in the diff open on click', async ({ page }) => {
  await page.getByRole('button', { name: 'Open sample trace' }).click();
  await page.getByRole('row', { name: /^Step 30 read_row/ }).click();
  await page.getByRole('tab', { name: 'Diff' }).click();
  const fold = page.getByRole('button', { name: /unchanged lines … \(show\)/ }).first();
  await expect(fold).toBeVisible();
  const hidden = Number(/… (\d+) unchanged/.exec((await fold.textContent())!)![1]);
  expect(hidden).toBeGreaterThan(10);
  const diff = page.getByLabel(/^Prompt of step 30 against/);
  const before = (await diff.textContent())!.length;
  await fold.click();
  await expect(diff).toContainText('## system');
  expect((await diff.textContent())!.length).toBeGreaterThan(before + hidden * 5);
});

test('replay from here forks the run from its recorded replies, lists it beside the original, and compares them step by step', async ({ page }) => {
  await page.getByRole('button', { name: 'Run demo agent' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('● paused');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByLabel('Run status')).toHaveText('● done');
  await page.getByRole('row', { name: /^Step 2 inspect/ }).click();
  await page.getByRole('button', { name: 'Replay from here' }).click();
  // the fork replays steps 1–2, goes on live (the scripted model), and pauses at save like the original did
  await expect(page.getByLabel('Run status')).toHaveText('● paused');
  const picker = page.getByLabel('Run', { exact: true });
  await expect(picker.locator('option')).toHaveCount(2);
  await page.getByRole('button', { name: 'Compare runs' }).click();
  const compare = page.getByRole('region', { name: 'Compare runs' });
  await expect(compare.getByRole('status')).toHaveText(/The runs part at step 4 \(different outcome\)/);
  await expect(compare.getByRole('row')).toHaveCount(1 + 5);
  await compare.getByRole('button', { name: 'Open step 4' }).click();
  await expect(page.getByRole('region', { name: 'Step 4 detail' })).toBeVisible();
});

test('empty and loading states: waiting for a run, an empty file, the open button and the drop zone', async ({ page }) => {
  await expect(page.getByText('Waiting for the first event of a run…')).toBeVisible();
  await openText(page, '\n\n', 'empty.jsonl');
  await expect(page.getByRole('status').filter({ hasText: 'empty.jsonl has no looplet events' })).toBeVisible();
  // the button opens the file chooser
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open trace file…' }).click();
  await (await chooser).setFiles({ name: 'timed.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(timedTrace()) });
  await expect(page.getByLabel('Run status')).toHaveText('● paused');
  // a file dropped anywhere on the panel opens
  const dt = await page.evaluateHandle((text) => { const d = new DataTransfer(); d.items.add(new File([text], 'dropped.jsonl')); return d; }, timedTrace('dropped-run').replaceAll('fetch_a', 'dropped_a'));
  await page.locator('.lp-root').dispatchEvent('dragover', { dataTransfer: dt });
  await expect(page.getByText('Drop the trace to open it')).toBeVisible();
  await page.locator('.lp-root').dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByText('Drop the trace to open it')).toHaveCount(0);
  await expect(page.getByRole('row', { name: /^Step 1 dropped_a/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Step 1 fetch_a/ })).toHaveCount(0);
});

test('axe-core on the new views (waterfall, compare, empty state), light and dark', async ({ page }) => {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const check = async (what: string) => {
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click();
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${what} ${theme}: ${v.id} (${v.nodes.length}) ${v.help}`);
      expect(bad).toEqual([]);
      if (theme === 'dark') await page.getByRole('button', { name: 'Light theme' }).click();
    }
  };
  await check('empty');
  await openText(page, [timedTrace(), timedTrace('second')].join('\n'));
  await page.getByRole('row', { name: /^Step 3 parse/ }).click();
  await check('waterfall');
  await page.getByRole('button', { name: 'Compare runs' }).click();
  await check('compare');
});

test('a step of an MCP tool shows the server it lives on', async ({ page }) => {
  const runId = 'mcp-run';
  const start = ev({ type: 'run.start', runId, step: 0, ts: 1000, task: 'Search issues', config: { maxSteps: 5, toolCallMode: 'native', parallelToolCalls: true }, tools: [
    { name: 'github_search', description: 'Search.', parameters: { type: 'object' }, origin: { kind: 'mcp', server: 'github', tool: 'search' } },
    { name: 'note', description: 'Note.', parameters: { type: 'object' } },
  ] });
  const step = (i: number, name: string) => ev({ type: 'step', runId, step: i, ts: 1000 + i, record: { index: i, status: 'ok', toolCall: { id: `c${i}`, name, args: {} }, toolResult: { data: 'x', durationMs: 1 }, timing: { llmMs: 0, toolMs: 1 } } });
  await openText(page, [start, step(1, 'github_search'), step(2, 'note')].join('\n'));
  await page.getByRole('row', { name: /^Step 1 github_search/ }).click();
  await expect(page.getByRole('heading', { name: /^Step 1 · github_search/ })).toContainText('(MCP server github, its search)');
  await page.getByRole('row', { name: /^Step 2 note/ }).click();
  await expect(page.getByRole('heading', { name: /^Step 2 · note/ })).not.toContainText('MCP');
});

test("a chat's turns are grouped with their messages; a subagent's run sits under the step that started it", async ({ page }) => {
  const { agentTool, collect, conversation, memoryStore, toJSONL } = await import('../lib/index.ts');
  const events: unknown[] = [];
  const hooks = [{ onEvent: (e: unknown) => void events.push(e) }];
  const research = agentTool({
    name: 'research', description: 'Research.', parameters: { type: 'object', properties: { topic: { type: 'string' } } }, task: ({ topic }) => `Research ${String(topic)}`,
    tools: [{ name: 'search', description: 'Search.', parameters: { type: 'object' }, execute: () => 'otters hold hands' }],
    llm: { generate: async (req) => (req.messages.some((m) => m.role === 'tool') ? { toolCalls: [{ id: 'rd', name: 'done', arguments: { answer: 'they hold hands' } }] } : { toolCalls: [{ id: 'rs', name: 'search', arguments: {} }] }) },
  });
  const llm = { generate: async (req: { messages: readonly { role: string; content: string }[] }) => {
    const i = req.messages.findLastIndex((m) => m.role === 'user');
    const last = req.messages[i]!.content;
    if (last === 'hello') return { toolCalls: [{ id: 'h', name: 'done', arguments: { answer: 'hi!' } }] };
    return req.messages.slice(i).some((m) => m.role === 'tool') ? { toolCalls: [{ id: 'pd', name: 'done', arguments: { answer: 'done researching' } }] } : { toolCalls: [{ id: 'pr', name: 'research', arguments: { topic: 'otters' } }] };
  } };
  const chat = conversation({ store: memoryStore(), id: 'demo' });
  await collect(chat.send('hello', { llm, tools: [research], hooks }));
  await collect(chat.send('tell me about otters', { llm, tools: [research], hooks }));
  await openText(page, toJSONL(events as never));

  const picker = page.getByLabel('Run', { exact: true });
  await expect(picker.locator('optgroup[label="Chat demo"] option')).toHaveCount(3);
  await expect(picker.locator('option').nth(0)).toContainText('turn 1: hello');
  await expect(picker.locator('option').nth(1)).toContainText('turn 2: tell me about otters');
  await expect(picker.locator('option').nth(2)).toContainText('↳ Research otters');
  await picker.selectOption({ label: (await picker.locator('option').nth(1).textContent())! });
  await expect(page.getByLabel('Conversation')).toHaveText('Chat demo · turn 2: “tell me about otters”');
  await page.getByRole('row', { name: /^Step 1 research/ }).click();
  const sub = page.getByText(/^Subagent run demo\.turn-2\.pr · done · 2 steps/);
  await expect(sub).toBeVisible();
  await expect(page.getByRole('list', { name: /Steps of subagent run/ })).toBeHidden();
  await sub.click(); // expand
  await expect(page.getByRole('list', { name: /Steps of subagent run/ })).toContainText('#1 search · ok');
  await page.getByRole('button', { name: 'Open subagent run' }).click();
  await expect(page.getByRole('row', { name: /^Step 1 search/ })).toBeVisible();
  await page.getByRole('button', { name: 'Open parent run' }).click();
  await expect(page.getByRole('row', { name: /^Step 1 research/ })).toBeVisible();
});
