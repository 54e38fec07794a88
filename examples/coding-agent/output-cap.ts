// A command's output kept small as it arrives: the start of a stream and its end (where errors
// usually are), the middle cut. Self-contained on purpose — no imports, no outer names — so the
// browser host can also ship its source into a Web Worker (worker-run.ts).

export interface CappedText {
  add(s: string): void;
  text(): string;
}

/** A stream's text with its middle cut past `headChars` + `tailChars` characters. */
export function capped(headChars = 2_000, tailChars = 6_000): CappedText {
  let head = '';
  let tail = '';
  let cut = 0;
  return {
    add(s) {
      const room = headChars - head.length;
      if (room > 0) { head += s.slice(0, room); s = s.slice(room); }
      tail += s;
      if (tail.length > tailChars) { cut += tail.length - tailChars; tail = tail.slice(-tailChars); }
    },
    text: () => (cut ? `${head}\n[… ${cut} characters cut …]\n${tail}` : head + tail),
  };
}
