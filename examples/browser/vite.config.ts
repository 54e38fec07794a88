// `npm run example:browser` serves this page; `vite build -c examples/browser/vite.config.ts` builds it.
// The aliases point `looplet`, `looplet/idb` and `looplet/devtools` at the repo's sources, so the
// example runs from a fresh clone without building or publishing the package. A copy of this
// folder outside the repo drops them and uses the npm package instead (see README.md).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^looplet$/, replacement: repo('lib/index.ts') },
      { find: /^looplet\/idb$/, replacement: repo('lib/stores/idb.ts') },
      // the devtools import these by name too
      { find: /^looplet\/json-schema$/, replacement: repo('lib/tools/json-schema.ts') },
      { find: /^looplet\/devtools$/, replacement: repo('devtools/index.ts') },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1', port: 5175 },
  preview: { host: '127.0.0.1', port: 4175 },
});
