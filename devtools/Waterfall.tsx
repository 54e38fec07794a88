import { useMemo, useRef, useState, type PointerEvent } from 'react';
import type { RunView } from './model.ts';
import { ms, visible } from './text.ts';
import { ticks, visibleSpans, waterfall, type Bucket, type Span } from './waterfall-layout.ts';

const LANE = 14;

/**
 * A waterfall with a time axis: each model call and each tool call as a bar where it ran, calls
 * that overlapped side by side, failures and pauses marked. Drag across it to zoom to a range;
 * click a bar to select its step. Past a few hundred bars it sums them into columns (click one to zoom in).
 */
export function Waterfall({ run, selected, onSelect }: { run: RunView; selected?: number; onSelect(step: number): void }) {
  const w = useMemo(() => waterfall(run), [run, run.version]);
  const [view, setView] = useState<[number, number]>();
  const [brush, setBrush] = useState<[number, number]>();
  const track = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; moved: boolean } | undefined>(undefined);
  const dragged = useRef(false);
  const [from, to] = view ?? [w.t0, w.t1];
  const shown = useMemo(() => visibleSpans(w, from, to), [w, from, to]);
  const pct = (t: number) => `${((t - from) / (to - from)) * 100}%`;
  const width = (a: number, b: number) => `max(2px, ${((Math.min(b, to) - Math.max(a, from)) / (to - from)) * 100}%)`;
  const timeAt = (clientX: number) => {
    const box = track.current!.getBoundingClientRect();
    return from + ((clientX - box.left) / Math.max(1, box.width)) * (to - from);
  };

  const down = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, moved: false };
    dragged.current = false;
  };
  const move = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || (!d.moved && Math.abs(e.clientX - d.x) < 5)) return;
    if (!d.moved) track.current?.setPointerCapture?.(e.pointerId);
    d.moved = true;
    setBrush([timeAt(d.x), timeAt(e.clientX)]);
  };
  const up = () => {
    const d = drag.current;
    drag.current = undefined;
    dragged.current = !!d?.moved;
    if (d?.moved && brush) {
      const [a, b] = brush[0] < brush[1] ? brush : [brush[1], brush[0]];
      if (b - a > 0) setView([a, b]);
    }
    setBrush(undefined);
  };
  // a drag that ends on a bar is a zoom, not a click
  const clicked = () => { const d = dragged.current; dragged.current = false; return !d; };
  const click = (step: number) => () => { if (clicked()) onSelect(step); };
  const zoomTo = (b: Bucket) => setView([b.start, Math.max(b.end, b.start + 1)]);

  return (
    <section className="lp-waterfall" aria-label="Waterfall">
      <div className="lp-wf-head">
        <span className="lp-muted">Waterfall: model calls above, tools below · drag to zoom</span>
        <span className="lp-muted">{ms(to - from)} shown{view ? ` (of ${ms(w.t1 - w.t0)})` : ''}</span>
        {view && <button onClick={() => setView(undefined)}>Reset zoom</button>}
      </div>
      <div ref={track} className="lp-wf-track" style={{ height: LANE * w.lanes + 4 }} onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up}>
        {'spans' in shown
          ? shown.spans.map((s, i) => <Bar key={i} s={s} left={pct(Math.max(s.start, from))} width={width(s.start, s.end)} selected={s.step === selected} onClick={click(s.step)} />)
          : shown.buckets.map((b, i) => (
            <button key={i} tabIndex={-1} className={`lp-wf-bucket${b.errors ? ' lp-wf-err' : ''}`} style={{ left: pct(Math.max(b.start, from)), width: width(b.start, b.end), height: LANE * w.lanes }}
              aria-label={`Steps ${b.first}–${b.last}: ${b.steps} calls${b.errors ? `, ${b.errors} failed` : ''}${b.paused ? `, ${b.paused} paused` : ''}, model ${ms(b.llm)}, tools ${ms(b.tool)} (zoom in)`}
              title={`#${b.first}–#${b.last}`} onClick={() => { if (clicked()) zoomTo(b); }} />
          ))}
        {brush && <div className="lp-wf-brush" style={{ left: pct(Math.min(...brush)), width: width(Math.min(...brush), Math.max(...brush)) }} />}
      </div>
      <div className="lp-wf-axis" aria-hidden="true">
        {ticks(w.t0, from, to).map((t) => <span key={t} style={{ left: pct(t) }}>{t === w.t0 ? '0' : `+${ms(t - w.t0)}`}</span>)}
      </div>
    </section>
  );
}

function Bar({ s, left, width, selected, onClick }: { s: Span; left: string; width: string; selected: boolean; onClick(): void }) {
  const what = s.kind === 'llm' ? `Model call for step ${s.step}` : `Step ${s.step} · ${visible(s.name)}${s.status && s.status !== 'ok' ? ` · ${s.status}` : ''}`;
  const cls = s.kind === 'llm' ? 'lp-wf-llm' : s.status === 'error' || s.status === 'denied' ? 'lp-wf-tool lp-wf-err' : s.status === 'paused' ? 'lp-wf-tool lp-wf-pause' : 'lp-wf-tool';
  return (
    <button tabIndex={-1} className={`lp-wf-bar ${cls}`} aria-pressed={selected} aria-label={`${what} · ${ms(s.end - s.start)}`} title={`${what} · ${ms(s.end - s.start)}`}
      style={{ left, width, top: 2 + s.lane * LANE }} onClick={onClick}>
      {s.status === 'paused' ? '‖' : s.status === 'error' || s.status === 'denied' ? '✗' : ''}
    </button>
  );
}
