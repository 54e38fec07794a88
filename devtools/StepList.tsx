import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
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
  /** Keep the last row in view as steps arrive (a live run). Scrolling up stops it; `onFollow` says so. */
  follow?: boolean;
  onFollow?(follow: boolean): void;
}

/**
 * The steps as a virtualized ARIA grid: only the rows in view are mounted, at any length. Focus
 * stays on the grid (the selected row is its active descendant, always mounted), so keyboard
 * navigation survives rows scrolling out of view.
 */
export function StepList({ steps, selected, onSelect, onOpen, follow = false, onFollow }: StepListProps) {
  const box = useRef<HTMLDivElement>(null);
  const id = useId();
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(400);

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
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [steps.length, follow]);

  const at = selected === undefined ? -1 : steps.findIndex((s) => s.index === selected);
  useEffect(() => {
    // keep the selected row in view (keyboard navigation)
    const el = box.current;
    if (!el || at < 0) return;
    if (at * ROW < el.scrollTop) el.scrollTop = at * ROW;
    else if ((at + 1) * ROW > el.scrollTop + el.clientHeight - ROW) el.scrollTop = (at + 2) * ROW - el.clientHeight;
  }, [at]);

  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(steps.length, Math.ceil((top + height) / ROW) + OVERSCAN);
  const shown: number[] = [];
  for (let i = first; i < last; i++) shown.push(i);
  if (at >= 0 && (at < first || at >= last)) shown.push(at); // the active row stays mounted wherever it is
  const rowId = (index: number) => `${id}-step-${index}`;

  const onKey = (e: KeyboardEvent) => {
    const go = (j: number) => { const s = steps[Math.max(0, Math.min(steps.length - 1, j))]; if (s) { onSelect(s.index); e.preventDefault(); } };
    if (e.key === 'j' || e.key === 'ArrowDown') go(at + 1);
    else if (e.key === 'k' || e.key === 'ArrowUp') go(at < 0 ? 0 : at - 1);
    else if (e.key === 'Home' || (e.key === 'g' && !e.shiftKey)) go(0);
    else if (e.key === 'End' || e.key === 'G') go(steps.length - 1);
    else if (e.key === 'PageDown') go(at + Math.floor(height / ROW));
    else if (e.key === 'PageUp') go(at - Math.floor(height / ROW));
    else if (e.key === 'Enter' && selected !== undefined) { onOpen?.(selected); e.preventDefault(); }
  };

  return (
    <div
      ref={box}
      className="lp-scroll"
      role="grid"
      aria-label="Steps"
      aria-rowcount={steps.length + 1}
      tabIndex={0}
      aria-activedescendant={at >= 0 ? rowId(selected!) : undefined}
      onKeyDown={onKey}
      onScroll={(e) => {
        const el = e.currentTarget;
        setTop(el.scrollTop);
        const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
        if (follow && !atEnd) onFollow?.(false);
      }}
    >
      <div role="row" aria-rowindex={1} className="lp-row" style={{ position: 'sticky', top: 0, zIndex: 1, background: 'var(--panel)', fontWeight: 600 }}>
        <span role="columnheader">#</span><span role="columnheader" aria-label="status">st</span><span role="columnheader">tool</span>
        <span role="columnheader">args → result</span><span role="columnheader">llm / tool</span><span role="columnheader">in</span><span role="columnheader">out</span>
      </div>
      <div style={{ height: steps.length * ROW, position: 'relative' }}>
        {shown.map((i) => {
          const s = steps[i]!;
          const r = s.record;
          const err = r.toolResult.error;
          return (
            <div
              key={s.index}
              id={rowId(s.index)}
              role="row"
              aria-rowindex={i + 2}
              aria-selected={s.index === selected}
              aria-label={`Step ${s.index} ${visible(r.toolCall.name)} ${r.status}`}
              className="lp-row"
              style={{ top: i * ROW }}
              onClick={() => onSelect(s.index)}
              onDoubleClick={() => onOpen?.(s.index)}
            >
              <span role="gridcell" className="lp-index">#{s.index}</span>
              <span role="gridcell" className={`lp-${r.status}`} aria-label={r.status}>{MARK[r.status] ?? '?'}</span>
              <span role="gridcell">{visible(r.toolCall.name)}</span>
              <span role="gridcell" title={shortArgs(r.toolCall.args, 400)}>{shortArgs(r.toolCall.args)} → {err ? `${err.kind}: ${summary(err.message)}` : summary(r.toolResult.data)}</span>
              <span role="gridcell">{ms(r.timing.llmMs)} / {ms(r.timing.toolMs)}</span>
              <span role="gridcell">{tokens(r.usage?.inputTokens)}</span>
              <span role="gridcell">{tokens(r.usage?.outputTokens)}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
