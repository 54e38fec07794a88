import { defineConfig } from 'vitest/config';

const exclude = ['e2e/**', '**/node_modules/**', 'dist/**'];

// One project per environment. A Vitest browser project (see /work/shared/TOOLING.md) can be
// appended to `projects` later without touching these.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', environment: 'node', include: ['test/**/*.test.ts'], exclude: [...exclude, 'test/runtime/**'] } },
      // Spawns Deno, workerd and Chromium against the built dist/: slow on a 2-core box.
      { test: { name: 'runtimes', environment: 'node', include: ['test/runtime/**/*.test.ts'], exclude, testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
