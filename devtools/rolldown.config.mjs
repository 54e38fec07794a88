// The devtools panel as a published entry (looplet/devtools): ESM, React and react-dom as peers,
// looplet itself imported by name (one copy of its classes in an app). Its two Workers are
// bundled whole, so they load from a URL beside the panel with nothing to resolve.
const workerURL = {
  name: 'worker-url',
  transform(code) {
    return code.includes('.worker.ts') ? code.replace(/\.\/(parse|diff)\.worker\.ts/g, './$1.worker.js') : null;
  },
};

export default [
  {
    input: { index: 'devtools/index.ts' },
    external: [/^react($|\/)/, /^react-dom($|\/)/, /^looplet($|\/)/],
    platform: 'browser',
    plugins: [workerURL],
    output: { dir: 'dist/devtools', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', banner: '/* @ts-self-types="./index.d.ts" */' },
  },
  ...['parse', 'diff'].map((name) => ({
    input: { [`${name}.worker`]: `devtools/${name}.worker.ts` },
    platform: 'browser',
    resolve: { alias: { looplet: new URL('../lib/index.ts', import.meta.url).pathname } },
    output: { dir: 'dist/devtools', format: 'esm', entryFileNames: '[name].js', codeSplitting: false, minify: true },
  })),
];
