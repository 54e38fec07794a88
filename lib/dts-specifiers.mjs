// After tsc: the library's sources import './x.ts' (so Deno, Vite and Vitest run them as they
// are), and tsc rewrites those specifiers to '.js' in the JavaScript it emits but not in the
// declarations. Rewrite them there too, so resolvers reading dist/ (deno check, tsc with
// nodenext) find './x.js' → './x.d.ts'.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RELATIVE_TS = /(['"])(\.\.?\/[^'"\n]*?)\.ts\1/g;
let files = 0;
for (const f of readdirSync('dist', { recursive: true })) {
  const file = join('dist', String(f));
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(RELATIVE_TS, '$1$2.js$1');
  if (fixed !== text) {
    writeFileSync(file, fixed);
    files++;
  }
}
console.log(`dts-specifiers: .ts → .js in ${files} declaration files`);
