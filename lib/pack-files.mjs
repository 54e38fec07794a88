// The last step of `npm run build`: which files of dist/ the package ships. tsc emits a .js for
// every source file; rolldown then bundles the public entries (and their chunks) over them, and
// the rest are never loaded by anything that imports the package. They stay in dist/ (Deno,
// given dist/index.js by path as this repo's tests and examples/deno do, follows each
// declaration's './x.js' to x.js and its @ts-self-types), but dist/.npmignore, written here,
// keeps them out of the tarball.
//
// From package.json's exports, typesVersions, bin and main, follow:
//   .js   static imports and re-exports, import("./x"), new URL("./x", import.meta.url) (a
//         directory there, like cli.node.js's viewer/, is shipped whole), and @ts-self-types
//   .d.ts imports, re-exports, import("./x.js") type queries and /// <reference path>
// `node lib/pack-files.mjs --check` only counts. test/runtime/consumer.test.ts imports
// reachable() to compare with what `npm pack` puts in the tarball.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPECIFIERS = [
  /(?:^|[\s;{}(),])(?:import|export)\s*(?:type\s+)?(?:[^'"`;]*?\sfrom\s*)?["'](\.\.?\/[^"'\n]+)["']/g, // import/export … from './x'
  /\bimport\(\s*["'](\.\.?\/[^"'\n]+)["']\s*\)/g, // import('./x'), also `import('./x.js').T` in declarations
  /\bnew URL\(\s*["'`](\.\.?\/[^"'`\n]*)["'`]\s*,\s*import\.meta\.url\s*\)/g, // new URL('./x', import.meta.url)
  /@ts-self-types="(\.\.?\/[^"\n]+)"/g,
  /\/\/\/\s*<reference\s+path="([^"\n]+)"/g,
];

/** Every target string in an exports/typesVersions value. */
function targets(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => targets(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => targets(v, out));
  return out;
}

/** The files under `pkgDir` (absolute paths) that the package's entry points reach. */
export function reachable(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const roots = [
    ...targets(pkg.exports),
    ...targets(pkg.typesVersions),
    ...targets(pkg.bin),
    ...[pkg.main, pkg.types, pkg.module].filter(Boolean),
  ].filter((t) => !t.includes('*'));
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !existsSync(file)) return;
    if (statSync(file).isDirectory()) {
      for (const f of readdirSync(file, { recursive: true })) {
        const p = join(file, String(f));
        if (statSync(p).isFile()) seen.add(p);
      }
      return;
    }
    seen.add(file);
    if (!/\.(m|c)?(js|ts)$/.test(file)) return;
    const text = readFileSync(file, 'utf8');
    const dts = /\.d\.(m|c)?ts$/.test(file);
    for (const re of SPECIFIERS) {
      for (const m of text.matchAll(re)) {
        const target = resolve(dirname(file), m[1]);
        // a declaration's './x.js' is the declaration './x.d.ts'
        visit(dts && /\.(m|c)?js$/.test(target) ? target.replace(/\.(m|c)?js$/, '.d.$1ts') : target);
      }
    }
  };
  for (const r of roots) visit(resolve(pkgDir, r));
  return seen;
}

/** The files under `dir` that `reachable(pkgDir)` leaves out, as paths relative to `dir`. */
export function unreachable(pkgDir, dir) {
  const keep = reachable(pkgDir);
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f !== '.npmignore' && !keep.has(join(dir, f)) && statSync(join(dir, f)).isFile())
    .map((f) => f.split(sep).join('/'))
    .sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dist = join(root, 'dist');
  const left = unreachable(root, dist);
  const js = left.filter((f) => f.endsWith('.js')).length;
  if (!process.argv.includes('--check')) {
    writeFileSync(join(dist, '.npmignore'), `# Written by lib/pack-files.mjs: what no entry of the package reaches (tsc's output under the bundles).\n${left.map((f) => `/${f}`).join('\n')}\n`);
  }
  console.log(`pack-files: ${left.length} files in dist/ that no entry reaches (${js} .js, ${left.length - js} declarations) left out of the package`);
}
