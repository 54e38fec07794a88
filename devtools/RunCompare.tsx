import { useMemo, useState } from 'react';
import type { RunView, StepRow } from './model.ts';
import { shortArgs, summary, visible } from './text.ts';

const PAGE = 500;

/** How two steps at the same index differ: the call, the outcome, or nothing. */
export function stepDifference(a: StepRow | undefined, b: StepRow | undefined): 'same' | 'call' | 'status' | 'result' | 'missing' {
  if (!a || !b) return 'missing';
  const x = a.record, y = b.record;
  if (x.toolCall.name !== y.toolCall.name || JSON.stringify(x.toolCall.args) !== JSON.stringify(y.toolCall.args)) return 'call';
  if (x.status !== y.status) return 'status';
  if (JSON.stringify(x.toolResult.data ?? x.toolResult.error ?? null) !== JSON.stringify(y.toolResult.data ?? y.toolResult.error ?? null)) return 'result';
  return 'same';
}

const SAYS = { same: '', call: 'different call', status: 'different outcome', result: 'different result', missing: 'only in one run' } as const;

/** Two runs step by step: the call each made at every index, and where they part ways. */
export function RunCompare({ a, b, label, onSelect }: { a: RunView; b: RunView; label(r: RunView): string; onSelect?(step: number): void }) {
  const [limit, setLimit] = useState(PAGE);
  const rows = useMemo(() => {
    const byIndex = (r: RunView) => new Map(r.steps.map((s) => [s.index, s]));
    const A = byIndex(a), B = byIndex(b);
    const indices = [...new Set([...A.keys(), ...B.keys()])].sort((x, y) => x - y);
    return indices.map((i) => ({ i, x: A.get(i), y: B.get(i), diff: stepDifference(A.get(i), B.get(i)) }));
  }, [a, a.version, b, b.version]);
  const first = rows.find((r) => r.diff !== 'same');
  const cell = (s: StepRow | undefined) => (s ? `${s.record.status === 'ok' ? '✓' : s.record.status === 'paused' ? '‖' : '✗'} ${visible(s.record.toolCall.name)}(${shortArgs(s.record.toolCall.args, 50)}) → ${s.record.toolResult.error ? visible(s.record.toolResult.error.message) : summary(s.record.toolResult.data)}` : '—');
  return (
    <section className="lp-compare" aria-label="Compare runs">
      <p role="status">
        {first ? `The runs part at step ${first.i} (${SAYS[first.diff]}); ${rows.filter((r) => r.diff !== 'same').length} of ${rows.length} steps differ.` : `The runs made the same ${rows.length} calls with the same results.`}
      </p>
      <table>
        <thead><tr><th scope="col">#</th><th scope="col">{label(a)}</th><th scope="col">{label(b)}</th><th scope="col">Difference</th></tr></thead>
        <tbody>
          {rows.slice(0, limit).map((r) => (
            <tr key={r.i} data-differs={r.diff !== 'same' || undefined} className={r.diff !== 'same' ? 'lp-differs' : undefined}>
              <td>{onSelect ? <button onClick={() => onSelect(r.i)} aria-label={`Open step ${r.i}`}>{r.i}</button> : r.i}</td>
              <td>{cell(r.x)}</td>
              <td>{cell(r.y)}</td>
              <td>{SAYS[r.diff]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > limit && <button onClick={() => setLimit(limit + PAGE)}>Show {Math.min(PAGE, rows.length - limit)} more steps</button>}
    </section>
  );
}
