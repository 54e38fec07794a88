import { useEffect, useMemo, useState } from 'react';
import type { Message } from 'looplet';
import { diffText, type DiffResult, type LineChange } from './diff.ts';
import { promptText } from './model.ts';
import { visible } from './text.ts';

type Prompt = { system?: string; messages: readonly Message[] };

function Line({ c }: { c: LineChange }) {
  if (c.kind === 'same') return <div>{'  '}{visible(c.a ?? c.b ?? '')}</div>;
  if (c.kind === 'add') return <div className="lp-add" aria-label="added line">+ {visible(c.b ?? '')}</div>;
  if (c.kind === 'del') return <div className="lp-del" aria-label="removed line">- {visible(c.a ?? '')}</div>;
  if (c.words) {
    return (
      <div aria-label="changed line">
        ~ {c.words.map((w, i) => (w.kind === 'same' ? <span key={i}>{visible(w.text)}</span> : w.kind === 'add' ? <ins key={i}>{visible(w.text)}</ins> : <del key={i}>{visible(w.text)}</del>))}
      </div>
    );
  }
  return (
    <>
      <div className="lp-del" aria-label="removed line">- {visible(c.a ?? '')}</div>
      <div className="lp-add" aria-label="added line">+ {visible(c.b ?? '')}</div>
    </>
  );
}

/** What changed between two prompts: shared prefix and suffix folded, changed lines marked. */
// Small prompts diff here (well under a millisecond); large ones in a Worker, so a slow diff
// never blocks the page.
const SYNC_LIMIT = 40_000;
let worker: Worker | undefined;
let nextId = 0;

function diffAsync(a: string, b: string): Promise<DiffResult> {
  if (typeof Worker !== 'function') return Promise.resolve(diffText(a, b, { timeoutMs: 200 }));
  try {
    worker ??= new Worker(new URL('./diff.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return Promise.resolve(diffText(a, b, { timeoutMs: 200 }));
  }
  const w = worker;
  const id = ++nextId;
  return new Promise((resolve) => {
    const on = (m: MessageEvent<{ id: number; result: DiffResult }>) => {
      if (m.data.id !== id) return;
      w.removeEventListener('message', on);
      resolve(m.data.result);
    };
    w.addEventListener('message', on);
    w.postMessage({ id, a, b, opts: { timeoutMs: 200 } });
  });
}

/** Unchanged lines folded away; a click shows them. */
function Fold({ count, lines }: { count: number; lines: () => string[] }) {
  const [open, setOpen] = useState(false);
  if (!open) return <button className="lp-fold" onClick={() => setOpen(true)} aria-expanded={false}>… {count} unchanged lines … (show)</button>;
  return <>{lines().map((l, i) => <div key={i}>{'  '}{visible(l)}</div>)}</>;
}

const splitLines = (s: string) => (s === '' ? [] : s.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'));

function useDiff(before: Prompt, after: Prompt): { result: DiffResult; a: string } | undefined {
  const [a, b] = useMemo(() => [promptText(before), promptText(after)], [before, after]);
  const small = a.length + b.length < SYNC_LIMIT;
  const sync = useMemo(() => (small ? diffText(a, b, { timeoutMs: 200 }) : undefined), [a, b, small]);
  const [late, setLate] = useState<{ key: string; result: DiffResult }>();
  useEffect(() => {
    if (small) return;
    let live = true;
    void diffAsync(a, b).then((result) => { if (live) setLate({ key: a + '\u0000' + b, result }); });
    return () => { live = false; };
  }, [a, b, small]);
  const result = sync ?? (late && late.key === a + '\u0000' + b ? late.result : undefined);
  return result && { result, a };
}

export function PromptDiff({ before, after, label }: { before: Prompt; after: Prompt; label?: string }) {
  const diff = useDiff(before, after);
  if (!diff) return <p aria-busy="true">Comparing prompts…</p>;
  const { result, a } = diff;
  let A: string[] | undefined;
  const linesOf = (from: number, to: number) => (A ??= splitLines(a)).slice(from, to);
  return (
    <div className="lp-diff" aria-label={label ?? 'Prompt diff'}>
      <p>
        +{result.added} / −{result.removed} lines · {result.prefixLines} unchanged lines before, {result.suffixLines} after
        {result.status === 'replaced' ? ' · too different to align in time: shown as replaced' : ''} · {result.ms.toFixed(1)} ms
      </p>
      <pre className="lp-pre">
        {result.hunks.length === 0 && <div>The prompts are identical.</div>}
        {result.hunks.map((h, i) => (
          <div key={i}>
            {h.collapsedBefore > 0 && <Fold count={h.collapsedBefore} lines={() => linesOf(h.aStart - h.collapsedBefore, h.aStart)} />}
            {h.lines.map((c, j) => <Line key={j} c={c} />)}
          </div>
        ))}
      </pre>
    </div>
  );
}
