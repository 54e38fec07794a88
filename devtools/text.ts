// Everything in a trace is untrusted model or tool output: the panel only ever renders it as
// text, with invisible and direction-changing characters made visible and huge values cut.

// Bidi overrides/isolates, zero-width characters, BOM, and C0/C1 controls other than \n and \t.
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function visible(text: string): string {
  return text.replace(HIDDEN, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

export const MAX_SHOWN = 64 * 1024;

/** Pretty JSON (or the string itself), made visible, and cut to `limit` characters. */
export function show(value: unknown, limit = MAX_SHOWN): { text: string; cut: number } {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  const cut = Math.max(0, text.length - limit);
  return { text: visible(cut ? text.slice(0, limit) : text), cut };
}

/** One line for the step list: the args as `k=v, …`. */
export function shortArgs(args: Readonly<Record<string, unknown>>, max = 60): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    const s = typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? 'undefined';
    parts.push(`${k}=${s}`);
  }
  return clip(visible(parts.join(', ').replace(/\s+/g, ' ')), max);
}

export function summary(data: unknown, max = 40): string {
  if (data === undefined || data === null) return 'ok';
  if (Array.isArray(data)) return `${data.length} items`;
  if (typeof data === 'object') return `${Object.keys(data).length} keys`;
  return clip(visible(String(data).replace(/\s+/g, ' ')), max);
}

export function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** A duration for people: 820ms, 1.5s, 2m 30s, 1h 5m. */
export function ms(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  if (n < 1000) return `${Math.round(n)}ms`;
  const s = n / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${whole % 60}s`;
  return `${Math.floor(whole / 3600)}h ${Math.floor((whole % 3600) / 60)}m`;
}

/** A token count for people: 950, 1.2k, 10.0M. */
export function tokens(n: number | undefined): string {
  if (!n || !Number.isFinite(n)) return '0';
  if (n < 1000) return String(Math.round(n));
  if (n < 999_950) return `${(n / 1e3).toFixed(1)}k`;
  if (n < 999_950_000) return `${(n / 1e6).toFixed(1)}M`;
  return `${(n / 1e9).toFixed(1)}B`;
}

/** An answer for people: a string as it is, anything else as JSON. */
export function answerText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}
