// After tsc: bundle each public entry of dist/ into one file (plus shared chunks), in place.
// Fewer modules to load is most of a cold start; the .d.ts files stay as tsc wrote them.
import { rmSync } from 'node:fs';

rmSync('dist/chunks', { recursive: true, force: true }); // no stale chunks from earlier builds

// Modules the loop loads with import() only when a feature runs. Each gets a chunk of its own:
// merged into a chunk the index imports statically, an app's bundler would ship them up front.
const LAZY = /dist\/(tools\/json-schema|loop\/pauses|loop\/read-checkpoint|loop\/sign|loop\/json-mode|backends\/openai-responses)\.js$/;

export default {
  input: {
    index: 'dist/index.js',
    'trace/index': 'dist/trace/index.js',
    'backends/openai-sdk': 'dist/backends/openai-sdk.js',
    'stores/idb': 'dist/stores/idb.js',
    'stores/file.node': 'dist/stores/file.node.js',
    'trace/directory.node': 'dist/trace/directory.node.js',
    'cli.node': 'dist/cli.node.js',
  },
  external: [/^idb$/, /^openai$/, /^node:/],
  platform: 'neutral',
  output: {
    dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js',
    codeSplitting: { groups: [{ name: (id) => LAZY.exec(id.replaceAll('\\', '/'))[1].replace('/', '-'), test: LAZY, includeDependenciesRecursively: false }] },
  },
};
