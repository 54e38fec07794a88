// The examples run as a user runs them: separate processes, through tsx.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = (file: string, args: string[] = [], env: Record<string, string> = {}) =>
  promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), [file, ...args], {
    cwd: ROOT,
    env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '', ...env },
  }).then((r) => r.stdout);

describe('examples', { timeout: 60_000 }, () => {
  it('hello-world greets two people and finishes on the scripted model', async () => {
    const out = await run('examples/hello-world.ts');
    expect(out).toContain("#1 ✓ greet(name='Alice') → 1 keys");
    expect(out).toContain('done: "Greeted Alice and Bob." (3 steps');
  });

  it('hello-world says what went wrong when the endpoint is down, not "error: undefined"', async () => {
    // a port nothing listens on: connection refused at once (no retries)
    const out = await run('examples/hello-world.ts', [], { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'gsk_canary_not_a_real_key_0123456789' });
    expect(out).toMatch(/error: network: openai: network error \(/);
    expect(out).not.toContain('undefined');
    expect(out).not.toContain('gsk_canary');
  });

  it('mcp-agent starts server-everything, pauses before an MCP tool that needs approval, and finishes', async () => {
    const out = await run('examples/mcp-agent.ts');
    expect(out).toMatch(/MCP server http:\/\/127\.0\.0\.1:\d+\/mcp \(legacy era\): everything_echo, everything_get-sum/);
    expect(out).toContain('#1 ⏸ everything_get-sum(a=2, b=40) → PAUSED: everything_get-sum needs approval');
    expect(out).toContain("#1 ✓ everything_get-sum(a=2, b=40) → 'The sum of 2 and 40 is 42.'");
    expect(out).toContain('done: "Echo: The sum of 2 and 40 is 42."');
  });

  it('research-agent delegates to a subagent whose pause pauses the parent; approved, both finish', async () => {
    const out = await run('examples/research-agent.ts');
    expect(out).toContain('    ↳ research ⏸ #2 fetch_page');
    expect(out).toContain('‖ waiting: research: fetch_page — fetch_page needs approval');
    expect(out).toContain('done: "Did you know? Sea otters hold hands while they sleep so they do not drift apart."');
    expect(out).toContain('tokens: 664 in all, 436 of them the subagent\'s');
  });

  it('data-agent pauses before save in one process and finishes in another after --resume --approve', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'looplet-example-'));
    const env = { TMPDIR: tmp };
    const first = await run('examples/data-agent/main.ts', [], env);
    expect(first).toContain("#4 ⏸ save(path='users.clean.csv') → PAUSED: save needs approval");
    const second = await run('examples/data-agent/main.ts', ['--resume', '--approve'], env);
    expect(second).toContain("#4 ✓ save(path='users.clean.csv')");
    expect(second).toMatch(/done: "Cleaned and saved/);
    expect(await readFile(join(tmp, 'looplet-data-agent', 'users.clean.csv'), 'utf8')).toBe('id,name,email\n1,Ada,ada@example.com\n2,unknown,grace@example.com\n3,Linus,unknown\n');
  });
});
