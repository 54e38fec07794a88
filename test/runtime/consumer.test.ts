// The package as a user gets it: `npm pack`, the tarball installed into a fresh project, then
// every subpath imported in Node (ESM) and required (require(esm), Node ≥ 20.19), type-checked
// by TypeScript 7 and 5.9 as a strict consumer (nodenext with a CommonJS file, bundler; node10
// on 5.9, which 7 no longer has), `deno check`ed, and run under Bun; the `looplet` bin; and the
// package linters: publint, arethetypeswrong, `deno publish --dry-run` of jsr.json.
// It builds nothing: `npm test` (test/run-all.mjs) runs `npm run build` first.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; exports: Record<string, unknown> };
/** 'looplet', 'looplet/trace', …: every subpath a user imports. */
const SUBPATHS = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? 'looplet' : `looplet${k.slice(1)}`));
/** What the consumer project takes from this repo's node_modules (no network): the peers the subpaths load. */
const PEERS = ['idb', 'react', '@types/react'];
const DENO_ENV = { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(ROOT, '.deno'), NO_COLOR: '1' };

interface Ran { code: number; stdout: string; stderr: string }

/** A command's exit code and output; never throws on a non-zero exit. npm's own variables are not passed on. */
function run(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<Ran> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  return new Promise((done) => {
    execFile(cmd, args, { cwd: opts.cwd, env: { ...env, ...opts.env }, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr || (err && code === 127 ? err.message : '')) });
    });
  });
}

const show = (r: Ran) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`.trim();

let dir = '';
let app = '';
let tarball = '';
let packed: string[] = [];
/** Each subpath's runtime export names, as Node's import() gives them from the installed package. */
let names: Record<string, string[]> = {};

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.js')) || !existsSync(join(ROOT, 'dist', 'devtools', 'index.js'))) {
    throw new Error('dist/ is missing: run npm run build first (npm test does).');
  }
  dir = mkdtempSync(join(tmpdir(), 'looplet-consumer-'));
  const pack = await run('npm', ['pack', '--pack-destination', dir, '--json', '--silent'], { cwd: ROOT });
  expect(pack.code, show(pack)).toBe(0);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = join(dir, info!.filename);
  packed = info!.files.map((f) => f.path).sort();

  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // looplet has no dependencies and only optional peers: the tarball installs without the registry
  const install = await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts', '--offline', '--no-package-lock'], { cwd: app });
  expect(install.code, show(install)).toBe(0);
  for (const peer of PEERS) {
    mkdirSync(dirname(join(app, 'node_modules', peer)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', peer), join(app, 'node_modules', peer), 'dir');
  }

  writeFileSync(join(app, 'names.mjs'), `
const names = {};
for (const s of ${JSON.stringify(SUBPATHS)}) names[s] = Object.keys(await import(s)).sort();
console.log(JSON.stringify(names));
`);
  const listed = await run(process.execPath, ['names.mjs'], { cwd: app });
  expect(listed.code, show(listed)).toBe(0);
  names = JSON.parse(listed.stdout) as Record<string, string[]>;
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package in a fresh project', { timeout: 120_000 }, () => {
  it('ships what its entries reach, with LICENSE and README, and nothing else', async () => {
    const { reachable } = (await import(pathToFileURL(join(ROOT, 'lib', 'pack-files.mjs')).href)) as { reachable(pkgDir: string): Set<string> };
    const installed = join(app, 'node_modules', 'looplet');
    const reached = [...reachable(installed)].map((f) => relative(installed, f).split(sep).join('/'));
    expect(packed).toEqual([...new Set([...reached, 'LICENSE', 'README.md', 'package.json'])].sort());
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    // every subpath has a declaration file and a module
    expect(packed.filter((f) => f.endsWith('.js')).length).toBeGreaterThanOrEqual(SUBPATHS.length);
  });

  it('has no two files whose names differ only in case (one would overwrite the other on macOS and Windows)', () => {
    const byLower = new Map<string, string[]>();
    for (const f of packed) byLower.set(f.toLowerCase(), [...(byLower.get(f.toLowerCase()) ?? []), f]);
    expect([...byLower.values()].filter((fs) => fs.length > 1)).toEqual([]);
  });

  it('Node: every subpath imports, and require() gives the same module (require(esm), Node ≥ 20.19)', async () => {
    for (const s of SUBPATHS) expect(names[s]!.length, s).toBeGreaterThan(0);
    expect(names.looplet).toEqual(expect.arrayContaining(['composableLoop', 'ToolRegistry', 'MockLLMBackend']));
    // a CommonJS file, as `require('looplet')` users write it
    writeFileSync(join(app, 'required.cjs'), `
const out = {};
for (const s of ${JSON.stringify(SUBPATHS)}) out[s] = Object.keys(require(s)).sort();
out.sameClass = require('looplet/checkpoint').CheckpointError === require('looplet').CheckpointError;
console.log(JSON.stringify(out));
`);
    const cjs = await run(process.execPath, ['required.cjs'], { cwd: app });
    expect(cjs.code, show(cjs)).toBe(0);
    expect(cjs.stderr).toBe(''); // no ExperimentalWarning, no stack
    const { sameClass, ...required } = JSON.parse(cjs.stdout) as Record<string, unknown>;
    expect(required).toEqual(names);
    expect(sameClass).toBe(true);
    // one copy of the package, whichever way it is loaded
    writeFileSync(join(app, 'same.mjs'), `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const same = [];
for (const s of ${JSON.stringify(SUBPATHS)}) same.push(require(s) === (await import(s)));
console.log(JSON.stringify(same));
`);
    const same = await run(process.execPath, ['same.mjs'], { cwd: app });
    expect(same.code, show(same)).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual(SUBPATHS.map(() => true));
  });

  it('TypeScript 7 and 5.9 type-check a strict consumer of every export (nodenext with a CommonJS file, bundler; node10 on 5.9)', async () => {
    // every runtime export, imported by name: a name without a declaration is an error
    let i = 0;
    const uses: string[] = [];
    const esm = SUBPATHS.map((s) => {
      const n = names[s]!;
      uses.push(...n.map((x) => `_${i}_${x}`));
      return `import { ${n.map((x) => `${x} as _${i}_${x}`).join(', ')} } from '${s}';${(i++, '')}`;
    }).join('\n');
    const typed = `
import { collect, composableLoop, MockLLMBackend, ToolRegistry, type LoopOutcome } from 'looplet';
import { readCheckpoint } from 'looplet/checkpoint';
const tools = new ToolRegistry().register({ name: 'x', description: 'x', parameters: { type: 'object' }, execute: () => 1 });
export async function main(): Promise<number> {
  const { outcome }: { outcome: LoopOutcome } = await collect(composableLoop({ llm: new MockLLMBackend([]), tools, task: 't' }));
  const steps: number = outcome.steps;
  return steps + (typeof readCheckpoint === 'function' ? 0 : 1);
}`;
    const body = `${esm}\nexport const all: unknown[] = [${uses.join(', ')}];\n${typed}\n`;
    writeFileSync(join(app, 'consumer.mts'), body);
    writeFileSync(join(app, 'consumer.ts'), body);
    // a CommonJS module importing the ESM package (compiles to require(): TS 5.8+ under nodenext)
    writeFileSync(join(app, 'consumer.cts'), `${SUBPATHS.map((s, j) => `import * as m${j} from '${s}';`).join('\n')}\nexport const all: unknown[] = [${SUBPATHS.map((_, j) => `m${j}`).join(', ')}];\n${typed}\n`);
    const base = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', lib: ['es2023', 'dom', 'dom.iterable'], types: [] as string[] };
    const configs = {
      nodenext: { compilerOptions: { ...base, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['consumer.mts', 'consumer.cts'] },
      bundler: { compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler' }, files: ['consumer.ts'] },
      node10: { compilerOptions: { ...base, module: 'commonjs', moduleResolution: 'node', ignoreDeprecations: '5.0' }, files: ['consumer.ts'] },
    };
    for (const [name, config] of Object.entries(configs)) writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify(config));
    const tsc = (pkgName: string) => join(ROOT, 'node_modules', pkgName, 'bin', 'tsc');
    const version = async (p: string) => (await run(process.execPath, [tsc(p), '--version'], { cwd: app })).stdout.trim();
    expect(await version('typescript')).toMatch(/^Version 7\./);
    expect(await version('typescript5')).toMatch(/^Version 5\.9\./);
    // TS 7 checks the package's declarations in full both ways. TS 5.9 runs in JavaScript, several
    // times slower: it checks them once (nodenext, without the default lib's own check), and for
    // bundler and node10 resolves every subpath and checks the consumer against the types found.
    const legs: [string, string, string[]][] = [
      ['TS 7 nodenext', 'typescript', ['-p', 'tsconfig.nodenext.json']],
      ['TS 7 bundler', 'typescript', ['-p', 'tsconfig.bundler.json']],
      ['TS 5.9 nodenext', 'typescript5', ['-p', 'tsconfig.nodenext.json', '--skipDefaultLibCheck']],
      ['TS 5.9 bundler', 'typescript5', ['-p', 'tsconfig.bundler.json', '--skipLibCheck']],
      ['TS 5.9 node10', 'typescript5', ['-p', 'tsconfig.node10.json', '--skipLibCheck']],
    ];
    const results = await Promise.all(legs.map(async ([title, p, args]) => [title, await run(process.execPath, [tsc(p), ...args], { cwd: app })] as const));
    const failed = results.filter(([, r]) => r.code !== 0).map(([title, r]) => `${title}:\n${show(r)}`);
    expect(failed).toEqual([]);
  });

  it('deno check accepts a consumer of every export, resolving the package from node_modules', async () => {
    writeFileSync(join(app, 'deno-consumer.ts'), `${SUBPATHS.map((s, j) => `import * as m${j} from '${s}';`).join('\n')}
import { collect, composableLoop, MockLLMBackend, ToolRegistry, type LoopOutcome } from 'looplet';
const tools = new ToolRegistry().register({ name: 'x', description: 'x', parameters: { type: 'object' }, execute: () => 1 });
const { outcome }: { outcome: LoopOutcome } = await collect(composableLoop({ llm: new MockLLMBackend([]), tools, task: 't' }));
const steps: number = outcome.steps;
console.log(steps, [${SUBPATHS.map((_, j) => `m${j}`).join(', ')}].length);
`);
    const r = await run(join(BIN, 'deno'), ['check', 'deno-consumer.ts'], { cwd: app, env: DENO_ENV });
    expect(r.code, show(r)).toBe(0);
  });

  it('Bun imports every subpath and runs the smoke agent as Node does', async () => {
    copyFileSync(join(ROOT, 'test', 'runtime', 'smoke-agent.js'), join(app, 'smoke-agent.js'));
    writeFileSync(join(app, 'smoke.mjs'), `
import * as looplet from 'looplet';
import { runSmoke } from './smoke-agent.js';
const names = {};
for (const s of ${JSON.stringify(SUBPATHS)}) names[s] = Object.keys(await import(s)).sort();
const where = typeof Bun !== 'undefined' ? { bun: Bun.version } : { node: process.versions.node };
console.log(JSON.stringify({ names, result: await runSmoke(looplet), where }));
`);
    const [bun, node] = await Promise.all([
      run(join(BIN, 'bun'), ['smoke.mjs'], { cwd: app, env: { NO_COLOR: '1', DO_NOT_TRACK: '1' } }),
      run(process.execPath, ['smoke.mjs'], { cwd: app }),
    ]);
    expect(bun.code, show(bun)).toBe(0);
    expect(node.code, show(node)).toBe(0);
    const b = JSON.parse(bun.stdout.trim().split('\n').at(-1)!) as { names: unknown; result: { native: { outcome: unknown } }; where: { bun?: string } };
    const n = JSON.parse(node.stdout.trim().split('\n').at(-1)!) as typeof b;
    expect(b.where.bun).toMatch(/^\d+\.\d+/);
    expect(b.names).toEqual(names);
    expect(b.result.native.outcome).toMatchObject({ status: 'done', answer: 'finished' });
    expect(b.result).toEqual(n.result);
  });

  it('the looplet bin: eval of a .js module; a .ts one runs where Node strips types, and gets a hint where it cannot', async () => {
    writeFileSync(join(app, 'trace.mjs'), `
import { writeFileSync } from 'node:fs';
import { collect, composableLoop, MockLLMBackend, ToolRegistry, toJSONL } from 'looplet';
const events = [];
const tools = new ToolRegistry().register({ name: 'greet', description: 'Greet.', parameters: { type: 'object', properties: { name: { type: 'string' } } }, execute: ({ name }) => 'Hello, ' + name });
const llm = new MockLLMBackend([{ toolCalls: [{ name: 'greet', arguments: { name: 'Ann' } }] }, { toolCalls: [{ name: 'done', arguments: { answer: 'greeted' } }] }]);
await collect(composableLoop({ llm, tools, task: 'Greet Ann.', hooks: [{ onEvent: (e) => void events.push(e) }] }));
writeFileSync('run.jsonl', toJSONL(events));
`);
    const trace = await run(process.execPath, ['trace.mjs'], { cwd: app });
    expect(trace.code, show(trace)).toBe(0);
    const evals = "import { defineEval } from 'looplet/evals';\nexport const answered = defineEval('answered', (t) => t.answer === 'greeted');\n";
    writeFileSync(join(app, 'evals.mjs'), evals);
    writeFileSync(join(app, 'evals.ts'), evals.replace('(t)', '(t: { answer?: unknown })'));
    const bin = join(app, 'node_modules', '.bin', 'looplet');
    const js = await run(process.execPath, [bin, 'eval', 'evals.mjs', 'run.jsonl'], { cwd: app });
    expect(js.code, show(js)).toBe(0);
    expect(js.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');

    const ts = await run(process.execPath, [bin, 'eval', 'evals.ts', 'run.jsonl'], { cwd: app });
    if (process.allowedNodeEnvironmentFlags.has('--experimental-strip-types')) {
      expect(ts.code, show(ts)).toBe(0); // Node 22.6+: loads by itself, or the CLI runs again with the flag
      expect(ts.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
    } else {
      expect(ts.code, show(ts)).toBe(2);
      expect(ts.stderr).toContain('npx tsx node_modules/.bin/looplet eval evals.ts');
      expect(ts.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
      expect(ts.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('publint finds nothing to report in the tarball', async () => {
    const r = await run(join(BIN, 'publint'), ['run', tarball, '--strict'], { cwd: dir });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('All good!');
  });

  it('arethetypeswrong: every entry resolves with types under node10, node16 (ESM) and bundler; from CJS, require(esm) only', async () => {
    // into a file: attw exits 1 on the problem below, and a pipe can lose the tail of its JSON
    const out = join(dir, 'attw.json');
    const r = await run('sh', ['-c', '"$0" "$@" > attw.json', join(BIN, 'attw'), tarball, '--format', 'json', '--no-definitely-typed'], { cwd: dir });
    expect(r.stderr).toBe('');
    const { analysis } = JSON.parse(readFileSync(out, 'utf8')) as { analysis: { entrypoints: Record<string, unknown>; problems: { kind: string; entrypoint: string; resolutionKind: string }[] } };
    expect(Object.keys(analysis.entrypoints).sort()).toEqual(Object.keys(pkg.exports).sort());
    // attw's TypeScript (5.6) predates require(esm): from a CommonJS importer under node16 it
    // reports an ES module as "dynamic import only". Node ≥ 20.19 requires it (tested above), and
    // TS ≥ 5.8 type-checks that require under nodenext (the .cts consumer above). Nothing else.
    const other = analysis.problems.filter((p) => !(p.kind === 'CJSResolvesToESM' && p.resolutionKind === 'node16-cjs'));
    expect(other).toEqual([]);
  });

  it('jsr.json: deno publish --dry-run accepts the sources', async () => {
    // --allow-dirty: a checkout with changes. No --allow-slow-types: every public function has explicit types.
    const r = await run(join(BIN, 'deno'), ['publish', '--dry-run', '--allow-dirty'], { cwd: ROOT, env: DENO_ENV });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout + r.stderr).toContain('Success Dry run complete');
    const jsr = JSON.parse(readFileSync(join(ROOT, 'jsr.json'), 'utf8')) as { version: string; exports: Record<string, string> };
    expect(jsr.version).toBe(pkg.version);
    for (const target of Object.values(jsr.exports)) expect(existsSync(join(ROOT, target)), target).toBe(true);
    expect(readdirSync(ROOT)).toContain('LICENSE');
  });
});
