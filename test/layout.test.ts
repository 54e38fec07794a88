// The library's shape, as the design asks for it: no import cycle (type-only imports included),
// small files, Node built-ins only in runtime-specific files, and a minimal agent that stays small.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundle } from '../bench/bundle.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIB = join(ROOT, 'lib');
const files = readdirSync(LIB, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => join(LIB, f));
const source = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const RUNTIME_SPECIFIC = /\.(node|deno|workers|bun)\.ts$|\/(node|deno|workers|bun)\//;

/** Relative imports and re-exports of a file, type-only ones included (dynamic import() excluded: it loads later, it is no cycle). */
function importsOf(file: string): string[] {
  const out: string[] = [];
  for (const m of source.get(file)!.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"](\.[^'"]+)['"]/gm)) out.push(resolve(dirname(file), m[1]!));
  return out.filter((f) => source.has(f));
}

describe('lib/ layout', () => {
  it('has no import cycle, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of importsOf(f)) {
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => relative(LIB, x)).join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('keeps every file at 300 lines or fewer', () => {
    const long = files.map((f) => [relative(LIB, f), source.get(f)!.split('\n').length] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });

  it('uses Node built-ins only in runtime-specific files', () => {
    const NODE = /from\s+['"](node:[^'"]+|fs|path|os|child_process|crypto|buffer)['"]|\bprocess\.(env|argv|exit|cwd)|\bBuffer\./;
    const offenders = files.filter((f) => !RUNTIME_SPECIFIC.test(f) && NODE.test(source.get(f)!)).map((f) => relative(LIB, f));
    expect(offenders).toEqual([]);
  });

  it('keeps the shared shapes free of imports, so any module may use them', () => {
    expect(source.get(join(LIB, 'shapes.ts'))).not.toMatch(/^\s*import\b/m);
  });
});

describe('size budget', () => {
  it('the minimal agent (loop, registry, OpenAIBackend) loads at most 15 kB gzip before it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'looplet-size-'));
    const entry = join(dir, 'agent.ts');
    writeFileSync(entry, `export { composableLoop, ToolRegistry, collect, OpenAIBackend } from '${join(LIB, 'index.ts')}';`);
    const { gzip, builtins } = await bundle(entry);
    expect(builtins).toEqual([]);
    expect(gzip, `the minimal agent is ${(gzip / 1024).toFixed(1)} kB gzip up front (node bench/bundle-breakdown.mjs shows where)`).toBeLessThanOrEqual(15 * 1024);
  }, 60_000);
});
