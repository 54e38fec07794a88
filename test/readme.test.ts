/**
 * README is tested (issue 17): README that drifts from the code fails `npm test`.
 *
 * Every fenced block of README.md whose language is `ts`, `typescript` or `tsx` (indented ones,
 * inside lists, included) becomes a module of its own in a temporary project that depends on the
 * BUILT package (`node_modules/looplet` is a link to this repository, so `looplet` and its subpaths
 * resolve through package.json `exports` to dist/; `npm test` builds before Vitest runs). Then:
 *
 * 1. all blocks are typechecked under `strict` (module/moduleResolution `nodenext`, lib ES2023 +
 *    DOM + DOM.Iterable + DOM.AsyncIterable — TypeScript 7's DOM has the last two built in, and
 *    TypeScript 5 needs DOM.AsyncIterable for `for await` over a ReadableStream —, `types: ["node"]`,
 *    `jsx: react-jsx`), once with TypeScript 7 (`typescript`) and once with the newest TypeScript 5
 *    (`typescript5`, an npm alias), and again with TypeScript 7 under `moduleResolution: bundler`
 *    (what a Vite app sees); errors are reported at their README line and column. `Deno.openKv`
 *    and `npm:looplet` come from a small shim (DENO_SHIM below);
 * 2. each block not marked otherwise runs in a separate Node process — its types stripped by
 *    TypeScript 5's `transpileModule` (`verbatimModuleSyntax`, so every value it imports must exist
 *    at runtime), `fake-indexeddb` loaded for blocks that import `looplet/idb` — with no API key
 *    and no base URL: it passes if it exits 0 within 20 s and prints what its comments say it
 *    prints (below).
 *
 * Markers — an HTML comment on the line before the fence (invisible on GitHub), with an optional
 * reason after the kind:
 *
 *     <!-- readme: no-run (a Worker's entry point) -->    typechecked, not run: needs an API key,
 *                                                          a browser DOM, Deno, a network server…
 *     <!-- readme: fragment (inside a Durable Object) --> neither: a piece of a larger file
 *
 * Names a snippet uses but does not declare — `llm`, `tools`, `task`, `hooks` — are README's
 * placeholders for "any backend, tool set, task"; they come from test/readme/prelude.ts (a scripted
 * model, a `search` tool), imported into exactly the blocks that use them and declare them not.
 *
 * Expected output, checked for blocks that run (`[123ms]` timings match any duration):
 * - a comment on a line that calls `console.log(…)`: `console.log(outcome.answer); // Hello`;
 * - the comment lines right after the `}` that closes a `for await` loop (the quickstart's steps).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = join(ROOT, 'README.md');
const PRELUDE = join(ROOT, 'test/readme/prelude.ts');
const PRELUDE_NAMES = ['llm', 'tools', 'task', 'hooks'] as const;
const RUN_TIMEOUT_MS = 20_000;

type Mode = 'run' | 'no-run' | 'fragment';

interface Block {
  /** 1-based, in README order, over the checked languages. */
  readonly n: number;
  /** README line of the opening fence: the block's line k is README line `fence + k`. */
  readonly fence: number;
  readonly lang: 'ts' | 'tsx';
  /** How far the block is indented in README (inside a list item). */
  readonly indent: number;
  readonly code: string;
  readonly mode: Mode;
  /** What the block prints, with the README line saying so. */
  readonly expected: readonly { readonly line: number; readonly text: string }[];
}

const LANGS: Record<string, 'ts' | 'tsx'> = { ts: 'ts', typescript: 'ts', tsx: 'tsx' };
const MARKER = /^<!--\s*readme:\s*([\w-]+)\b.*?-->$/;

/** The checked blocks of a Markdown text; throws on an unknown marker or an unclosed fence. */
function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fenceChars = '```', info = ''] = open;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^\\s*${fenceChars[0]}{${fenceChars.length},}\\s*$`).test(lines[i]!); i++) {
      body.push(lines[i]!.startsWith(indent) ? lines[i]!.slice(indent.length) : lines[i]!.trimStart());
    }
    if (i >= lines.length) throw new Error(`README.md:${start + 1}: the fence is never closed`);
    const lang = LANGS[info.toLowerCase()];
    if (!lang) continue;
    let mode: Mode = 'run';
    let p = start - 1;
    while (p >= 0 && lines[p]!.trim() === '') p--;
    const marker = p >= 0 ? MARKER.exec(lines[p]!.trim()) : null;
    if (marker) {
      const kind = marker[1]!;
      if (kind !== 'no-run' && kind !== 'fragment') throw new Error(`README.md:${p + 1}: unknown marker "readme: ${kind}" (no-run or fragment)`);
      mode = kind;
    }
    blocks.push({ n: blocks.length + 1, fence: start + 1, lang, indent: indent.length, code: body.join('\n'), mode, expected: expectations(body, start + 1) });
  }
  return blocks;
}

function expectations(body: readonly string[], fence: number): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const comment = (s: string) => /^\s*\/\/ ?(.*)$/.exec(s)?.[1]?.trim();
  const hasForAwait = body.some((l) => /\bfor await\b/.test(l));
  body.forEach((l, k) => {
    const m = /\bconsole\.log\(.*\/\/ (.+)$/.exec(l);
    if (m) out.push({ line: fence + k + 1, text: m[1]!.trim() });
    if (hasForAwait && l.trim() === '}') {
      for (let j = k + 1; j < body.length; j++) {
        const c = comment(body[j]!);
        if (c === undefined) break;
        if (c) out.push({ line: fence + j + 1, text: c });
      }
    }
  });
  return out;
}

/** The prelude names a block uses and does not declare itself. */
function preludeNames(source: string): string[] {
  const code = source.replace(/(?<![:'"`])\/\/.*$/gm, ''); // not in comments
  return PRELUDE_NAMES.filter((name) => {
    if (!new RegExp(`(?<![.\\w$'"])${name}\\b(?!\\s*:)`).test(code)) return false; // used, not as a key
    const declared = [
      `\\b(?:const|let|var|function|class)\\s+${name}\\b`,
      `\\b(?:const|let|var)\\s*[{[][^=]*\\b${name}\\b[^=]*[}\\]]\\s*=`,
      `\\bimport\\s+(?:type\\s+)?\\{[^}]*\\b${name}\\b[^}]*\\}`,
      `\\bimport\\s+${name}\\b`,
    ];
    return !declared.some((d) => new RegExp(d).test(code));
  });
}

const normalise = (s: string) => s.replace(/\[\d+ms\]/g, '[…ms]').replace(/\r/g, '');

// ── the temporary project ───────────────────────────────────────────────────────────────────

const blocks = extractBlocks(readFileSync(README, 'utf8'));
const checked = blocks.filter((b) => b.mode !== 'fragment');
const runnable = blocks.filter((b) => b.mode === 'run');
const fileOf = (b: Block) => `b${String(b.n).padStart(2, '0')}.${b.lang}`;
const jsOf = (b: Block) => `b${String(b.n).padStart(2, '0')}.js`;

// Deno's globals for the Deno snippet (typechecked only): `npm:looplet` is the package.
const DENO_SHIM = `declare namespace Deno { function openKv(path?: string): Promise<import('looplet').DenoKvLike>; }
declare module 'npm:looplet' { export * from 'looplet'; }
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    lib: ['ES2023', 'DOM', 'DOM.Iterable', 'DOM.AsyncIterable'],
    types: ['node'],
    jsx: 'react-jsx',
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['*.ts', '*.tsx'],
};

/** The bare packages the blocks import (besides looplet), plus what typechecking and running need. */
function dependencies(): string[] {
  const deps = new Set(['@types', 'fake-indexeddb', 'react']);
  for (const b of [...checked.map((x) => x.code), readFileSync(PRELUDE, 'utf8')]) {
    for (const [, spec] of b.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)/g)) {
      if (!spec || spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('npm:')) continue;
      const name = spec.split('/')[0]!; // a scope's folder for @scope/name
      if (name !== 'looplet') deps.add(name);
    }
  }
  return [...deps];
}

let dir = '';

async function setUp(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/index.js')) || !existsSync(join(ROOT, 'dist/index.d.ts'))) {
    throw new Error('dist/ is missing: the README snippets are checked against the built package. Run `npm run build` first (`npm test` builds before Vitest).');
  }
  for (const bin of ['node_modules/typescript/bin/tsc', 'node_modules/typescript5/bin/tsc']) {
    if (!existsSync(join(ROOT, bin))) throw new Error(`${bin} is missing: run \`npm install\` (typescript5 is the npm alias typescript5@npm:typescript@5).`);
  }
  dir = mkdtempSync(join(tmpdir(), 'looplet-readme-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules/looplet'), 'dir');
  for (const dep of dependencies()) {
    const target = join(ROOT, 'node_modules', dep);
    if (!existsSync(target)) throw new Error(`README imports ${dep}, which is not installed in this repository (add it to devDependencies)`);
    symlinkSync(target, join(dir, 'node_modules', dep), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-snippets', private: true, type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  writeFileSync(join(dir, 'tsconfig.bundler.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: 'preserve', moduleResolution: 'bundler' } }, null, 2));
  writeFileSync(join(dir, 'deno.d.ts'), DENO_SHIM);
  const { default: ts } = await import('typescript5');
  const strip = (code: string, file: string) =>
    ts.transpileModule(code, {
      fileName: file,
      reportDiagnostics: false,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX, verbatimModuleSyntax: true },
    }).outputText;
  const prelude = readFileSync(PRELUDE, 'utf8');
  writeFileSync(join(dir, 'prelude.ts'), prelude);
  writeFileSync(join(dir, 'prelude.js'), strip(prelude, 'prelude.ts'));
  for (const b of checked) {
    const names = preludeNames(b.code);
    // Appended, not prepended (imports are hoisted), so that line k of the file is line k of the block.
    const tail = names.length ? `\nimport { ${names.join(', ')} } from './prelude.js';\n` : '\n';
    const code = `${b.code}\n${tail}export {};\n`;
    writeFileSync(join(dir, fileOf(b)), code);
    if (b.mode === 'run') writeFileSync(join(dir, jsOf(b)), strip(code, fileOf(b)));
  }
}

// ── child processes, a few at a time ───────────────────────────────────────────────────────

interface Exit { code: number | null; stdout: string; stderr: string; timedOut: boolean }

let slots = Math.max(2, availableParallelism());
const waiting: (() => void)[] = [];
async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (slots === 0) await new Promise<void>((r) => waiting.push(r));
  else slots--;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else slots++;
  }
}

function exec(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Exit> {
  return withSlot(
    () =>
      new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = options.timeoutMs
          ? setTimeout(() => {
              timedOut = true;
              try {
                process.kill(-child.pid!, 'SIGKILL'); // its process group: the one we started
              } catch {
                /* already gone */
              }
            }, options.timeoutMs)
          : undefined;
        child.on('error', (err) => {
          clearTimeout(timer);
          resolve({ code: 127, stdout, stderr: `${stderr}${err.message}`, timedOut });
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr, timedOut });
        });
      }),
  );
}

// ── typechecking ───────────────────────────────────────────────────────────────────────────

const COMPILERS = { 'TypeScript 7': 'typescript', 'TypeScript 5': 'typescript5' } as const;

async function typecheck(compiler: keyof typeof COMPILERS, project: string): Promise<string[]> {
  const pkg = join(ROOT, 'node_modules', COMPILERS[compiler]);
  const r = await exec(process.execPath, [join(pkg, 'bin/tsc'), '-p', project, '--pretty', 'false'], { cwd: dir });
  if (r.code === 0) return [];
  const byFile = new Map(checked.map((b) => [fileOf(b), b]));
  const errors: string[] = [];
  for (const line of `${r.stdout}${r.stderr}`.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(line.trim());
    if (m) {
      const b = byFile.get(m[1]!.replace(/^.*[\\/]/, ''));
      errors.push(b ? `README.md:${b.fence + Number(m[2])}:${Number(m[3]) + b.indent} (block ${b.n}) ${m[4]}` : `${m[1]}(${m[2]},${m[3]}) ${m[4]}`);
    } else if (line.startsWith(' ') && errors.length) {
      errors[errors.length - 1] += `\n    ${line.trim()}`;
    } else if (line.trim()) {
      errors.push(line.trim());
    }
  }
  if (!errors.length) errors.push(`${compiler} exited ${r.code}: ${r.stdout}${r.stderr}`);
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  return [`TypeScript ${version} (${project}), against dist/ — after changing lib/, \`npm run build\`:`, ...errors];
}

// ── running ────────────────────────────────────────────────────────────────────────────────

async function run(b: Block): Promise<string[]> {
  const cwd = join(dir, `run-${b.n}`);
  mkdirSync(cwd, { recursive: true });
  const imports = b.code.includes("'looplet/idb'") ? ['--import', 'fake-indexeddb/auto'] : [];
  const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ANTHROPIC_API_KEY: '', NODE_OPTIONS: '' };
  const r = await exec(process.execPath, [...imports, join(dir, jsOf(b))], { cwd, env, timeoutMs: RUN_TIMEOUT_MS });
  const where = `README.md:${b.fence} (block ${b.n})`;
  const tail = (s: string) => s.trim().split('\n').slice(-25).join('\n');
  if (r.timedOut) return [`${where} did not finish in ${RUN_TIMEOUT_MS / 1000} s\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`];
  if (r.code !== 0) return [`${where} exited ${r.code}\n--- stderr\n${tail(r.stderr)}\n--- stdout\n${tail(r.stdout)}`];
  const out = normalise(r.stdout);
  return b.expected
    .filter((e) => !out.includes(normalise(e.text)))
    .map((e) => `README.md:${e.line}: the comment says it prints ${JSON.stringify(e.text)}; it printed:\n${r.stdout.trim() || '(nothing)'}`);
}

// ── the tests ──────────────────────────────────────────────────────────────────────────────

const pending = new Map<string, Promise<string[]>>();

beforeAll(async () => {
  await setUp();
  // Started together, a few processes at a time; each test awaits its own.
  pending.set('TypeScript 7', typecheck('TypeScript 7', 'tsconfig.json'));
  pending.set('TypeScript 5', typecheck('TypeScript 5', 'tsconfig.json'));
  pending.set('TypeScript 7, moduleResolution bundler', typecheck('TypeScript 7', 'tsconfig.bundler.json'));
  for (const b of runnable) pending.set(`run ${b.n}`, run(b));
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(pending.values());
  if (dir && !process.env.README_TEST_KEEP) rmSync(dir, { recursive: true, force: true });
});

describe('README', { timeout: 90_000 }, () => {
  it('has TypeScript blocks, markers of known kinds and few fragments', () => {
    expect(runnable.length).toBeGreaterThan(10);
    const fragments = blocks.filter((b) => b.mode === 'fragment').map((b) => `README.md:${b.fence}`);
    expect(fragments.length, `fragments: ${fragments.join(', ')}`).toBeLessThanOrEqual(2);
  });

  it.each(['TypeScript 7', 'TypeScript 5', 'TypeScript 7, moduleResolution bundler'])('every block typechecks under strict with %s', async (key) => {
    const errors = await pending.get(key)!;
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it.each(runnable.map((b) => [`README.md:${b.fence}`, b] as const))('%s runs', async (_, b) => {
    const problems = await pending.get(`run ${b.n}`)!;
    expect(problems, problems.join('\n\n')).toEqual([]);
  });
});
