// JSON helpers shared across the library.

/** JSON.stringify that never throws (BigInt, cycles): tool data is arbitrary. */
export function safeJSON(value: unknown, space?: number): string {
  try {
    const out = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), space);
    return out ?? String(value);
  } catch {
    return String(value);
  }
}

/** JSON with sorted keys, so equal values give equal text (what approval signatures are over). */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}
