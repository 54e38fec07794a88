// The built package (dist/, as `npm run build` leaves it): what the main entry loads up front,
// the subpaths, and declarations that other resolvers can read. `npm test` builds first.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; import: string }> };

function requireDist(): void {
  if (!existsSync(join(DIST, 'index.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does).');
}

/** Every file an entry loads before any of its code runs: its static imports, transitively. */
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?["'](\.[^"']+)["']/g)) visit(resolve(dirname(file), m[1]!));
  };
  visit(entry);
  return [...seen];
}

// What only some runs need, by the function that defines it.
const ON_DEMAND = {
  'the full JSON Schema validator': 'function compileSchema(',
  'JSON-in-text mode': 'function parseTextToolCalls(',
  'the checkpoint reader': 'function readCheckpoint(',
  'the version 1 migration': 'function migrateV1(',
  'pause and resume': 'function applyDecisions(',
  'approval signing': 'function signCall(',
  'the hook runner': 'function hookRunner(',
  'the trace emitter': 'function createEmitter(',
  'the Responses API': 'function responsesGenerate(',
};

describe('the built package', () => {
  it('loads nothing up front that only some runs need: those come through import()', () => {
    requireDist();
    const graph = staticGraph(join(DIST, 'index.js'));
    const code = graph.map((f) => readFileSync(f, 'utf8')).join('\n');
    const eager = Object.entries(ON_DEMAND).filter(([, marker]) => code.includes(marker)).map(([what]) => what);
    expect(eager, `dist/index.js loads ${graph.map((f) => relative(DIST, f)).join(', ')}`).toEqual([]);
    // …and each of them is in dist, reachable on demand
    const all = readdirSync(join(DIST, 'chunks')).map((f) => readFileSync(join(DIST, 'chunks', f), 'utf8')).join('\n');
    for (const [what, marker] of Object.entries(ON_DEMAND)) expect(all.includes(marker), what).toBe(true);
  });

  it('declarations import .js files, as a resolver reading dist/ expects', () => {
    requireDist();
    const bad: string[] = [];
    for (const f of readdirSync(DIST, { recursive: true }).map(String).filter((f) => f.endsWith('.d.ts'))) {
      for (const m of readFileSync(join(DIST, f), 'utf8').matchAll(/['"](\.\.?\/[^'"]+)['"]/g)) {
        if (!m[1]!.endsWith('.js')) bad.push(`${f}: ${m[1]}`);
        else if (!existsSync(join(DIST, dirname(f), m[1]!.replace(/\.js$/, '.d.ts')))) bad.push(`${f}: ${m[1]} (no declaration)`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every export of package.json exists and imports in Node; subpaths share the main entry\'s classes', async () => {
    requireDist();
    const mods: Record<string, Record<string, unknown>> = {};
    for (const [name, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') { expect(existsSync(join(ROOT, target)), name).toBe(true); continue; }
      expect(existsSync(join(ROOT, target.types)), `${name} types`).toBe(true);
      mods[name] = (await import(pathToFileURL(join(ROOT, target.import)).href)) as Record<string, unknown>;
    }
    expect(Object.keys(mods)).toEqual(expect.arrayContaining(['.', './json-schema', './evals', './checkpoint', './trace', './idb']));
    expect(mods['./checkpoint']!.CheckpointError).toBe(mods['.']!.CheckpointError);
    expect(typeof mods['./json-schema']!.validateSchema).toBe('function');
    expect(typeof mods['./evals']!.replay).toBe('function');
    // a version 1 checkpoint, read through the subpath
    const v1 = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/checkpoints-v1/paused-save.json'), 'utf8')) as { checkpoint: unknown };
    const read = (mods['./checkpoint']!.readCheckpoint as (v: unknown) => { v: number; batch?: { calls: { state: string }[] } })(v1.checkpoint);
    expect(read.v).toBe(2);
    expect(read.batch!.calls.map((c) => c.state)).toEqual(['paused']);
  });

  it('deno check accepts a consumer of dist/ (strict TypeScript, the declarations as shipped)', async () => {
    requireDist();
    const dir = mkdtempSync(join(tmpdir(), 'looplet-deno-check-'));
    const url = (p: string) => pathToFileURL(join(DIST, p)).href;
    writeFileSync(join(dir, 'main.ts'), [
      `import { composableLoop, collect, MockLLMBackend, ToolRegistry, type LoopOutcome } from '${url('index.js')}';`,
      `import { readCheckpoint } from '${url('loop/read-checkpoint.js')}';`,
      `import { validateSchema } from '${url('tools/json-schema.js')}';`,
      `import { replay } from '${url('evals/index.js')}';`,
      "const tools = new ToolRegistry().register({ name: 'x', description: 'x', parameters: { type: 'object' }, execute: () => 1 });",
      "const { outcome }: { outcome: LoopOutcome } = await collect(composableLoop({ llm: new MockLLMBackend([]), tools, task: 't' }));",
      'const steps: number = outcome.steps;',
      'console.log(steps, typeof readCheckpoint, validateSchema({ type: "string" }, 1).length, typeof replay);',
    ].join('\n'));
    const deno = join(ROOT, 'node_modules', '.bin', 'deno');
    const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(ROOT, '.deno'), NO_COLOR: '1' };
    await expect(promisify(execFile)(deno, ['check', join(dir, 'main.ts')], { env })).resolves.toBeDefined();
  });
});
