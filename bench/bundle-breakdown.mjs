// Where the minimal agent's bytes are: bundles what it imports (composableLoop, ToolRegistry,
// collect, OpenAIBackend) from lib/'s sources, or the module given (e.g. an agent importing
// dist/), as run.mjs does, and lists each chunk (loaded up front or on demand) with the size
// each module contributes before minifying.
// Run: node bench/bundle-breakdown.mjs [module]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';

let input = process.argv[2] && resolve(process.argv[2]);
if (!input) {
  input = join(mkdtempSync(join(tmpdir(), 'looplet-breakdown-')), 'agent.ts');
  writeFileSync(input, `export { composableLoop, ToolRegistry, collect, OpenAIBackend } from '${resolve('lib/index.ts')}';`);
}
const out = await build({ input, platform: 'browser', write: false, logLevel: 'silent', output: { format: 'esm', minify: true } });
const chunks = new Map(out.output.filter((o) => o.type === 'chunk').map((o) => [o.fileName, o]));
const initial = new Set();
const visit = (n) => { if (initial.has(n)) return; initial.add(n); for (const i of chunks.get(n).imports) visit(i); };
visit([...chunks.values()].find((c) => c.isEntry).fileName);
const gz = (names) => gzipSync([...names].map((n) => chunks.get(n).code).join('')).length;
console.log(`up front: ${(gz(initial) / 1024).toFixed(1)} kB min+gzip; on demand: ${(gz([...chunks.keys()].filter((n) => !initial.has(n))) / 1024).toFixed(1)} kB`);
for (const c of chunks.values()) {
  console.log(`\n${initial.has(c.fileName) ? 'up front ' : 'on demand'} ${c.fileName}: ${c.code.length} B min, ${gzipSync(c.code).length} B gzip`);
  for (const [id, m] of Object.entries(c.modules).sort((a, b) => b[1].renderedLength - a[1].renderedLength)) {
    if (m.renderedLength) console.log(`  ${String(m.renderedLength).padStart(6)}  ${id.replace(process.cwd() + '/', '')}`);
  }
}
