// After tsc: bundle each public entry of dist/ into one file (plus shared chunks), in place.
// Fewer modules to load is most of a cold start; the .d.ts files stay as tsc wrote them.
import { rmSync } from 'node:fs';

rmSync('dist/chunks', { recursive: true, force: true }); // no stale chunks from earlier builds

// Modules the loop loads with import() only when a feature runs, each group in a chunk of its
// own: merged into a chunk the index imports statically, an app's bundler would ship them up front.
const LAZY = {
  'json-schema': /dist\/tools\/json-schema\.js$/,
  'json-mode': /dist\/loop\/json-mode\.js$/,
  pauses: /dist\/loop\/pauses\.js$/,
  'read-checkpoint': /dist\/loop\/(read-checkpoint|migrate-v1)\.js$/,
  sign: /dist\/loop\/sign\.js$/,
  suggest: /dist\/loop\/suggest\.js$/,
  'openai-responses': /dist\/backends\/openai\/responses\.js$/,
};

export default {
  input: {
    index: 'dist/index.js',
    'trace/index': 'dist/trace/index.js',
    'backends/openai-sdk': 'dist/backends/openai-sdk.js',
    'stores/idb': 'dist/stores/idb.js',
    'stores/file.node': 'dist/stores/file.node.js',
    'trace/directory.node': 'dist/trace/directory.node.js',
    'tools/json-schema': 'dist/tools/json-schema.js',
    'evals/index': 'dist/evals/index.js',
    'loop/read-checkpoint': 'dist/loop/read-checkpoint.js',
    'cli.node': 'dist/cli.node.js',
    'mcp/index': 'dist/mcp/index.js',
    'ui/index': 'dist/ui/index.js',
  },
  external: [/^idb$/, /^openai$/, /^node:/],
  platform: 'neutral',
  // The lazy groups below keep their dependencies out (includeDependenciesRecursively: false),
  // which needs this; said here, rolldown does not warn that it set it implicitly. An entry
  // may export more than its source did (a shared chunk's bindings), never less.
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js',
    // Deno (and JSR) read an entry's declarations from this directive when the file is imported by path.
    // (Not the bin: nothing imports it, so lib/pack-files.mjs leaves its empty declarations out.)
    banner: (chunk) => (chunk.isEntry && chunk.name !== 'cli.node' ? `/* @ts-self-types="./${chunk.name.split('/').pop()}.d.ts" */` : ''),
    codeSplitting: { groups: Object.entries(LAZY).map(([name, test]) => ({ name, test: (id) => test.test(id.replaceAll('\\', '/')), includeDependenciesRecursively: false })) },
  },
};
