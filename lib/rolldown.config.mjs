// After tsc: bundle each public entry of dist/ into one file (plus shared chunks), in place.
// Fewer modules to load is most of a cold start; the .d.ts files stay as tsc wrote them.
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
  output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
};
