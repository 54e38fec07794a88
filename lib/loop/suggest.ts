// What the model is told when it names a tool that does not exist, with the likeliest one it
// meant. Loaded only then.
import type { ToolRegistry } from '../tools/registry.ts';

export function unknownToolMessage(name: string, registry: ToolRegistry): string {
  const names = registry.list().map((t) => t.name);
  const guess = didYouMean(name, names);
  return `Unknown tool "${name}".${guess ? ` Did you mean "${guess}"?` : ''} Available tools: ${names.join(', ')}.`;
}

/** The closest name, if it is close enough to be a likely typo. */
export function didYouMean(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const n of names) {
    const d = distance(lower, n.toLowerCase());
    if (d < bestDist) { best = n; bestDist = d; }
  }
  return best;
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
