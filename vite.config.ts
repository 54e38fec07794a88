import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const exclude = ['e2e/**', '**/node_modules/**', 'dist/**', 'dist-playground/**'];

// The playground and the devtools import `looplet` by name: resolve it to the source.
const alias = [
  { find: /^looplet$/, replacement: here('./lib/index.ts') },
  { find: /^looplet\/idb$/, replacement: here('./lib/stores/idb.ts') },
  { find: /^looplet\/trace$/, replacement: here('./lib/trace/index.ts') },
  { find: /^looplet\/json-schema$/, replacement: here('./lib/tools/json-schema.ts') },
  { find: /^looplet\/evals$/, replacement: here('./lib/evals/index.ts') },
  { find: /^looplet\/checkpoint$/, replacement: here('./lib/loop/read-checkpoint.ts') },
  { find: /^looplet\/mcp$/, replacement: here('./lib/mcp/index.ts') },
  { find: /^looplet\/ui$/, replacement: here('./lib/ui/index.ts') },
  { find: /^looplet\/devtools$/, replacement: here('./devtools/index.ts') },
];

// `vite` / `vite build` serve and build the playground; Vitest runs the tests from the repo root.
const playground = process.env.VITEST ? {} : { root: here('./playground'), build: { outDir: here('./dist-playground'), emptyOutDir: true } };

export default defineConfig({
  ...playground,
  plugins: [react()],
  resolve: { alias },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', environment: 'node', include: ['test/**/*.test.{ts,tsx}'], exclude: [...exclude, 'test/runtime/**'] } },
      // Spawns Deno, workerd and Chromium against the built dist/: slow on a 2-core box.
      { extends: true, test: { name: 'runtimes', environment: 'node', include: ['test/runtime/**/*.test.ts'], exclude, testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
