// Prompt diff: what changed between two long prompts, fast. Shared prefix and suffix are
// trimmed first (an appended prompt leaves only its new tail), the middle gets a Myers line
// diff with a deadline, and only short paired lines get a word diff. Past the deadline the
// middle is shown as replaced: a slow diff never freezes the page.

export interface WordDiff { readonly kind: 'same' | 'add' | 'del'; readonly text: string }
export interface LineChange { readonly kind: 'same' | 'add' | 'del' | 'change'; readonly a?: string; readonly b?: string; readonly words?: readonly WordDiff[] }
export interface Hunk { readonly aStart: number; readonly bStart: number; readonly lines: readonly LineChange[]; readonly collapsedBefore: number }
export interface DiffResult {
  readonly status: 'ok' | 'replaced';
  readonly prefixLines: number;
  readonly suffixLines: number;
  readonly hunks: readonly Hunk[];
  readonly added: number;
  readonly removed: number;
  readonly ms: number;
}

export interface DiffOptions {
  timeoutMs?: number;
  context?: number;
  wordDiffMaxLineLength?: number;
}

const lines = (s: string) => (s === '' ? [] : s.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'));

export function diffText(a: string, b: string, opts: DiffOptions = {}): DiffResult {
  const t0 = performance.now();
  const deadline = t0 + (opts.timeoutMs ?? 200);
  const context = opts.context ?? 3;
  const maxWord = opts.wordDiffMaxLineLength ?? 2048;
  const A = lines(a), B = lines(b);

  let pre = 0;
  while (pre < A.length && pre < B.length && A[pre] === B[pre]) pre++;
  let suf = 0;
  while (suf < A.length - pre && suf < B.length - pre && A[A.length - 1 - suf] === B[B.length - 1 - suf]) suf++;
  // keep `context` lines of the shared ends in the middle, so changes show with their surroundings
  pre = Math.max(0, pre - context);
  suf = Math.max(0, suf - context);
  const midA = A.slice(pre, A.length - suf), midB = B.slice(pre, B.length - suf);

  let ops = myers(midA, midB, deadline);
  const status = ops ? 'ok' : 'replaced';
  ops ??= [...midA.map((l) => ({ kind: 'del' as const, text: l })), ...midB.map((l) => ({ kind: 'add' as const, text: l }))];

  // Pair each run of deletions with the additions right after it: those are changed lines.
  const changes: LineChange[] = [];
  for (let i = 0; i < ops.length; ) {
    const op = ops[i]!;
    if (op.kind === 'same') { changes.push({ kind: 'same', a: op.text, b: op.text }); i++; continue; }
    const dels: string[] = [], adds: string[] = [];
    while (i < ops.length && ops[i]!.kind === 'del') dels.push(ops[i++]!.text);
    while (i < ops.length && ops[i]!.kind === 'add') adds.push(ops[i++]!.text);
    const n = Math.min(dels.length, adds.length);
    for (let k = 0; k < n; k++) {
      const x = dels[k]!, y = adds[k]!;
      const words = status === 'ok' && x.length <= maxWord && y.length <= maxWord && performance.now() < deadline ? wordDiff(x, y) : undefined;
      changes.push(words ? { kind: 'change', a: x, b: y, words } : { kind: 'change', a: x, b: y });
    }
    for (let k = n; k < dels.length; k++) changes.push({ kind: 'del', a: dels[k]! });
    for (let k = n; k < adds.length; k++) changes.push({ kind: 'add', b: adds[k]! });
  }

  let added = 0, removed = 0;
  for (const c of changes) {
    if (c.kind === 'add' || c.kind === 'change') added++;
    if (c.kind === 'del' || c.kind === 'change') removed++;
  }
  return { status, prefixLines: pre, suffixLines: suf, hunks: hunks(changes, pre, context), added, removed, ms: performance.now() - t0 };
}

type Op = { kind: 'same' | 'add' | 'del'; text: string };

/** Myers' O(ND) diff over interned lines; undefined when the deadline passes. */
function myers(a: readonly string[], b: readonly string[], deadline: number): Op[] | undefined {
  const n = a.length, m = b.length;
  if (n === 0) return b.map((text) => ({ kind: 'add', text }));
  if (m === 0) return a.map((text) => ({ kind: 'del', text }));
  const ids = new Map<string, number>();
  const intern = (s: string) => { let id = ids.get(s); if (id === undefined) ids.set(s, (id = ids.size)); return id; };
  const x = a.map(intern), y = b.map(intern);
  const max = n + m, off = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    if ((d & 15) === 0 && performance.now() > deadline) return undefined;
    trace.push(v.slice());
    const next = v;
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && next[off + k - 1]! < next[off + k + 1]!) ? next[off + k + 1]! : next[off + k - 1]! + 1;
      let j = i - k;
      while (i < n && j < m && x[i] === y[j]) { i++; j++; }
      next[off + k] = i;
      if (i >= n && j >= m) return backtrack(trace, next, a, b, d, off);
    }
    v = next;
  }
  return undefined;
}

function backtrack(trace: Int32Array[], last: Int32Array, a: readonly string[], b: readonly string[], dEnd: number, off: number): Op[] {
  const out: Op[] = [];
  let i = a.length, j = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!;
    const k = i - j;
    const prevK = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? k + 1 : k - 1;
    const pi = v[off + prevK]!, pj = pi - prevK;
    while (i > pi && j > pj) out.push({ kind: 'same', text: a[--i]! }), j--;
    if (i === pi) out.push({ kind: 'add', text: b[--j]! });
    else out.push({ kind: 'del', text: a[--i]! });
  }
  while (i > 0 && j > 0) out.push({ kind: 'same', text: a[--i]! }), j--;
  void last;
  return out.reverse();
}

/** Word-level diff of two short lines (LCS over word and separator tokens). */
function wordDiff(a: string, b: string): WordDiff[] {
  const ta = a.match(/\w+|\s+|[^\w\s]+/g) ?? [], tb = b.match(/\w+|\s+|[^\w\s]+/g) ?? [];
  const n = ta.length, m = tb.length;
  const L = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i]![j] = ta[i] === tb[j] ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  const out: WordDiff[] = [];
  const push = (kind: WordDiff['kind'], text: string) => {
    const prev = out[out.length - 1];
    if (prev && prev.kind === kind) out[out.length - 1] = { kind, text: prev.text + text };
    else out.push({ kind, text });
  };
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (ta[i] === tb[j]) { push('same', ta[i]!); i++; j++; }
    else if (L[i + 1]![j]! >= L[i]![j + 1]!) push('del', ta[i++]!);
    else push('add', tb[j++]!);
  }
  while (i < n) push('del', ta[i++]!);
  while (j < m) push('add', tb[j++]!);
  return out;
}

/** Groups changes with `context` lines around them; longer unchanged stretches are collapsed (counted). */
function hunks(changes: readonly LineChange[], pre: number, context: number): Hunk[] {
  const out: Hunk[] = [];
  const isChange = (c: LineChange) => c.kind !== 'same';
  let i = 0;
  let aLine = pre, bLine = pre;
  let lastEnd = 0; // index into changes after the previous hunk
  let collapsed = pre;
  while (i < changes.length) {
    if (!isChange(changes[i]!)) { i++; continue; }
    const start = Math.max(lastEnd, i - context);
    let end = i;
    // extend while the next change is within 2*context unchanged lines
    for (;;) {
      while (end < changes.length && isChange(changes[end]!)) end++;
      let gap = 0;
      while (end + gap < changes.length && !isChange(changes[end + gap]!)) gap++;
      if (end + gap < changes.length && gap <= 2 * context) end += gap;
      else { end = Math.min(changes.length, end + context); break; }
    }
    for (let k = lastEnd; k < start; k++) { aLine++; bLine++; collapsed++; }
    const part = changes.slice(start, end);
    out.push({ aStart: aLine, bStart: bLine, lines: part, collapsedBefore: collapsed });
    for (const c of part) {
      if (c.kind !== 'add') aLine++;
      if (c.kind !== 'del') bLine++;
    }
    collapsed = 0;
    lastEnd = end;
    i = end;
  }
  return out;
}
