// After tsc, before bundling: the library's sources import './x.ts' (so Deno, Vite and Vitest run
// them as they are), and tsc rewrites those specifiers to '.js' in the JavaScript it emits but not
// in the declarations. Rewrite them there too, so resolvers reading dist/ (tsc with nodenext, deno
// check) find './x.js' → './x.d.ts'. Deno does not look for a sibling .d.ts on its own: each
// emitted .js names its declarations with a @ts-self-types directive (the bundled entries get it
// from rolldown.config.mjs).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const RELATIVE_TS = /(['"])(\.\.?\/[^'"\n]*?)\.tsx?\1/g;
let rewritten = 0;
let directed = 0;
const root = process.argv[2] ?? 'dist';
for (const f of readdirSync(root, { recursive: true })) {
  const file = join(root, String(f));
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(RELATIVE_TS, '$1$2.js$1');
  if (fixed !== text) {
    writeFileSync(file, fixed);
    rewritten++;
  }
  const js = file.replace(/\.d\.ts$/, '.js');
  if (!existsSync(js)) continue;
  const code = readFileSync(js, 'utf8');
  if (code.startsWith('/* @ts-self-types') || code.startsWith('#!')) continue; // a bin keeps its shebang first
  writeFileSync(js, `/* @ts-self-types="./${basename(file)}" */\n${code}`);
  directed++;
}
console.log(`dts-specifiers: .ts → .js in ${rewritten} declaration files; @ts-self-types in ${directed} modules`);
