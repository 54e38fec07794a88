// Runs prompt diffs off the main thread: two unrelated 100 KB prompts never block the page.
import { diffText, type DiffOptions } from './diff.ts';

self.onmessage = (m: MessageEvent<{ id: number; a: string; b: string; opts: DiffOptions }>) => {
  const { id, a, b, opts } = m.data;
  self.postMessage({ id, result: diffText(a, b, opts) });
};
