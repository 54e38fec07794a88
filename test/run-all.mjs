// `npm test`: typecheck, build, Vitest, then Playwright (when e2e/ has specs). Every child's
// output streams through. The last line is `N passed, N failed` over all runners, because CI
// reads that line (the runners' own summaries are not recognised). Plain Node ESM, no deps.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const bin = (name) => `node_modules/.bin/${name}`;
let passed = 0;
let failed = 0;

function run(title, cmd, args, env = {}) {
  console.log(`\n── ${title}: ${cmd} ${args.join(' ')}`);
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (err) => {
      console.error(`${title}: could not start ${cmd}: ${err.message}`);
      done(127);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

function readJSON(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A step with no test count of its own (typecheck, build) counts as one failed test. */
async function gate(title, cmd, args) {
  const code = await run(title, cmd, args);
  if (code !== 0) {
    failed += 1;
    console.error(`${title} failed (exit ${code})`);
  }
}

// Keep going after a failed gate: later runners still report what they can.
await gate('typecheck', bin('tsc'), ['-p', 'tsconfig.json']);
await gate('build', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build']);

{
  const report = '.vitest-report.json';
  rmSync(report, { force: true }); // never count a stale report
  const code = await run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const r = readJSON(report);
  const p = r?.numPassedTests ?? 0;
  const f = r?.numFailedTests ?? 0;
  passed += p;
  failed += f;
  // Exit code set but no failed test: a file that did not load, an unhandled error, a crash.
  if (code !== 0 && f === 0) failed += 1;
  console.log(`vitest: ${p} passed, ${f} failed${r ? '' : ' (no report)'}`);
}

const specs = existsSync('e2e') && readdirSync('e2e', { recursive: true }).some((f) => String(f).endsWith('.spec.ts'));
if (specs && existsSync('e2e/playwright.config.ts')) {
  const report = '.pw.json';
  rmSync(report, { force: true });
  const code = await run('playwright', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: join(root, report) });
  const s = readJSON(report)?.stats;
  const p = (s?.expected ?? 0) + (s?.flaky ?? 0);
  const f = s?.unexpected ?? 0;
  passed += p;
  failed += f;
  if (code !== 0 && f === 0) failed += 1;
  console.log(`playwright: ${p} passed, ${f} failed${s ? '' : ' (no report)'}`);
}

if (passed + failed === 0) console.error('No test ran.');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
