// Builds the trace viewer `looplet view` serves into dist/viewer: a static page, all bundled.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^looplet$/, replacement: here('../../lib/index.ts') },
      { find: /^looplet\/json-schema$/, replacement: here('../../lib/tools/json-schema.ts') },
    ],
  },
  build: { outDir: here('../../dist/viewer'), emptyOutDir: true, chunkSizeWarningLimit: 1000 },
});
