import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { StepRow } from './model.ts';
import { ms, shortArgs, summary, tokens, visible } from './text.ts';

const ROW = 28;
const OVERSCAN = 8;
const MARK: Record<string, string> = { ok: '✓', error: '✗', denied: '✗', paused: '‖' };

export interface StepListProps {
  steps: readonly StepRow[];
  selected?: number;
  onSelect(index: number): void;
  onOpen?(index: number): void;
  /** Keep the last row in view as steps arrive (stops when the user scrolls up). */
  follow?: boolean;
}

/** The steps as a virtualized ARIA grid: only the rows in view are mounted, at any length. */
export function StepList({ steps, selected, onSelect, onOpen, follow = true }: StepListProps) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [pinned, setPinned] = useState(follow);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 400);
    measure();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : undefined;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, []);

  useEffect(() => {
    const el = box.current;
    if (el && pinned && follow) el.scrollTop = el.scrollHeight;
  }, [steps.length, pinned, follow]);

  useEffect(() => {
    // keep the selected row in view (keyboard navigation)
    const el = box.current;
    const i = steps.findIndex((s) => s.index === selected);
    if (!el || i < 0) return;
    if (i * ROW < el.scrollTop) el.scrollTop = i * ROW;
    else if ((i + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (i + 1) * ROW - el.clientHeight;
  }, [selected, steps]);

  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(steps.length, Math.ceil((top + height) / ROW) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const s = steps[i]!;
    const r = s.record;
    const status = r.status;
    const err = r.toolResult.error;
    rows.push(
      <div
        key={s.index}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={s.index === selected}
        aria-label={`Step ${s.index} ${visible(r.toolCall.name)} ${status}`}
        tabIndex={s.index === selected || (selected === undefined && i === 0) ? 0 : -1}
        className="lp-row"
        style={{ top: i * ROW }}
        onClick={() => onSelect(s.index)}
        onDoubleClick={() => onOpen?.(s.index)}
      >
        <span role="gridcell">#{s.index}</span>
        <span role="gridcell" className={`lp-${status}`} aria-label={status}>{MARK[status] ?? '?'}</span>
        <span role="gridcell">{visible(r.toolCall.name)}</span>
        <span role="gridcell" title={shortArgs(r.toolCall.args, 400)}>{shortArgs(r.toolCall.args)} → {err ? `${err.kind}: ${summary(err.message)}` : summary(r.toolResult.data)}</span>
        <span role="gridcell">{ms(r.timing.llmMs)} / {ms(r.timing.toolMs)}</span>
        <span role="gridcell">{tokens(r.usage?.inputTokens)}</span>
        <span role="gridcell">{tokens(r.usage?.outputTokens)}</span>
      </div>,
    );
  }

  const onKey = (e: KeyboardEvent) => {
    const i = steps.findIndex((s) => s.index === selected);
    const go = (j: number) => { const s = steps[Math.max(0, Math.min(steps.length - 1, j))]; if (s) { onSelect(s.index); e.preventDefault(); } };
    if (e.key === 'j' || e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'k' || e.key === 'ArrowUp') go(i < 0 ? 0 : i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End' || e.key === 'G') go(steps.length - 1);
    else if (e.key === 'Enter' && selected !== undefined) { onOpen?.(selected); e.preventDefault(); }
  };

  return (
    <div
      ref={box}
      className="lp-scroll"
      role="grid"
      aria-label="Steps"
      aria-rowcount={steps.length + 1}
      onKeyDown={onKey}
      onScroll={(e) => {
        const el = e.currentTarget;
        setTop(el.scrollTop);
        setPinned(el.scrollTop + el.clientHeight >= el.scrollHeight - ROW);
      }}
    >
      <div role="row" aria-rowindex={1} className="lp-row" style={{ position: 'sticky', top: 0, zIndex: 1, background: 'var(--panel)', fontWeight: 600 }}>
        <span role="columnheader">#</span><span role="columnheader" aria-label="status">st</span><span role="columnheader">tool</span>
        <span role="columnheader">args → result</span><span role="columnheader">llm / tool</span><span role="columnheader">in</span><span role="columnheader">out</span>
      </div>
      <div style={{ height: steps.length * ROW, position: 'relative' }}>{rows}</div>
    </div>
  );
}
