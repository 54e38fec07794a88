// Where the minimal agent's bytes are: bundles what it imports (composableLoop, ToolRegistry,
// collect, OpenAIBackend) from lib/'s sources, or the module given (e.g. an agent importing
// dist/), as run.mjs does, and lists each chunk (loaded up front or on demand) with the size
// each module contributes before minifying.
// Run: node bench/bundle-breakdown.mjs [module]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundle } from './bundle.mjs';

let input = process.argv[2] && resolve(process.argv[2]);
if (!input) {
  input = join(mkdtempSync(join(tmpdir(), 'looplet-breakdown-')), 'agent.ts');
  writeFileSync(input, `export { composableLoop, ToolRegistry, collect, OpenAIBackend } from '${resolve('lib/index.ts')}';`);
}
const { chunks, initial, gzip, lazyGzip } = await bundle(input);
console.log(`up front: ${(gzip / 1024).toFixed(1)} kB min+gzip; on demand: ${(lazyGzip / 1024).toFixed(1)} kB`);
for (const c of chunks.values()) {
  console.log(`\n${initial.has(c.fileName) ? 'up front ' : 'on demand'} ${c.fileName}: ${c.code.length} B min, ${gzipSync(c.code).length} B gzip`);
  for (const [id, m] of Object.entries(c.modules).sort((a, b) => b[1].renderedLength - a[1].renderedLength)) {
    if (m.renderedLength) console.log(`  ${String(m.renderedLength).padStart(6)}  ${id.replace(process.cwd() + '/', '')}`);
  }
}
