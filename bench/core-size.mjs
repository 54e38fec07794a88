// Bundle size of a minimal looplet agent (loop + registry + the built-in validator), as a
// browser/worker bundler would ship it: rolldown, minified, tree-shaken; raw and gzip bytes.
// Run: npm run build && node bench/core-size.mjs
import { build } from 'rolldown';
import { gzipSync } from 'node:zlib';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'looplet-size-'));
const entries = {
  'core agent (composableLoop + ToolRegistry)': `import { composableLoop, ToolRegistry } from '${process.cwd()}/dist/index.js'; export { composableLoop, ToolRegistry };`,
  'core agent + OpenAIBackend': `import { composableLoop, ToolRegistry, OpenAIBackend } from '${process.cwd()}/dist/index.js'; export { composableLoop, ToolRegistry, OpenAIBackend };`,
  'everything in looplet': `export * from '${process.cwd()}/dist/index.js';`,
};
for (const [name, code] of Object.entries(entries)) {
  const input = join(dir, 'entry.js');
  writeFileSync(input, code);
  const out = await build({ input, platform: 'browser', write: false, output: { format: 'esm', minify: true } });
  const js = out.output[0].code;
  console.log(`${name}: ${js.length} B min, ${gzipSync(js).length} B min+gzip`);
}
