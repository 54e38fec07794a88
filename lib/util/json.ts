// JSON helpers shared across the library.

/**
 * JSON.stringify that never throws: tool data and events are arbitrary. A BigInt becomes its
 * digits; a cycle becomes "[Circular]" and what nests deeper than 256 levels "[Too deep]", so
 * the text is always JSON and nothing is lost but what JSON cannot hold.
 */
export function safeJSON(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), space) ?? String(value);
  } catch {
    const ancestors: unknown[] = [];
    try {
      return JSON.stringify(value, function (this: unknown, _k, v: unknown) {
        if (typeof v === 'bigint') return v.toString();
        if (v === null || typeof v !== 'object') return v;
        while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
        if (ancestors.includes(v)) return '[Circular]';
        if (ancestors.length >= 256) return '[Too deep]';
        ancestors.push(v);
        return v;
      }, space) ?? 'null';
    } catch (err) {
      return JSON.stringify(`[Unserializable: ${err instanceof Error ? err.message : String(err)}]`);
    }
  }
}

/** Whether `value` nests objects or arrays more than `max` levels deep. Walks without recursion, so no depth can overflow it. */
export function nestsDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
