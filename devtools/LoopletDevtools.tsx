import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type DragEvent } from 'react';
import { toJSONL, type LoopEvent, type ResumeDecision } from 'looplet';
import { ApprovalPanel } from './ApprovalPanel.tsx';
import { TraceModel, type RunView, type StepRow } from './model.ts';
import { parseTrace } from './parse.ts';
import type { TraceSource } from './source.ts';
import { StepDetail, type DetailTab } from './StepDetail.tsx';
import { StepList } from './StepList.tsx';
import { CSS } from './styles.ts';
import { answerText, clip, ms, tokens, visible } from './text.ts';

export interface LoopletDevtoolsProps {
  /** Live or static events; a file can also be opened from the panel. */
  source?: TraceSource;
  /** Called with the decisions for a paused run (resume it with them). */
  onDecide?(runId: string, decisions: Record<string, ResumeDecision>): void;
  theme?: 'light' | 'dark' | 'system';
}

/** Filter: `tool:name`, `status:ok|error|denied|paused`, `-` to negate, other words match args and results. */
export function matches(step: StepRow, query: string): boolean {
  const r = step.record;
  for (const raw of query.split(/\s+/).filter(Boolean)) {
    const neg = raw.startsWith('-');
    const term = neg ? raw.slice(1) : raw;
    let hit: boolean;
    if (term.startsWith('tool:')) hit = r.toolCall.name === term.slice(5);
    else if (term.startsWith('status:')) hit = r.status === term.slice(7);
    else hit = JSON.stringify([r.toolCall, r.toolResult]).toLowerCase().includes(term.toLowerCase());
    if (hit === neg) return false;
  }
  return true;
}

export function LoopletDevtools({ source, onDecide, theme = 'system' }: LoopletDevtoolsProps) {
  const [model, setModel] = useState(() => new TraceModel());
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const [runId, setRunId] = useState<string>();
  const [selected, setSelected] = useState<number>();
  const [tab, setTab] = useState<DetailTab>('prompt');
  const [query, setQuery] = useState('');
  const [fileErrors, setFileErrors] = useState<{ line: number; reason: string }[]>([]);
  const [dark, setDark] = useState(() => theme === 'dark' || (theme === 'system' && typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches));
  const [dragging, setDragging] = useState(false);
  const [follow, setFollow] = useState(() => !!source?.live);
  const [problem, setProblem] = useState<string>();
  const search = useRef<HTMLInputElement>(null);
  const detail = useRef<HTMLDivElement>(null);

  useEffect(() => model.subscribe(bump), [model]);
  useEffect(() => (source ? source.subscribe((events) => model.add(events), setProblem) : undefined), [source, model]);

  const runs = [...model.runs.values()];
  const run: RunView | undefined = (runId && model.runs.get(runId)) || runs[runs.length - 1];
  const steps = useMemo(() => (run ? (query ? run.steps.filter((s) => matches(s, query)) : run.steps) : []), [run, run?.version, query]);
  const step = run?.steps.find((s) => s.index === selected);

  /** A file (or pasted text): parsed in batches, shown from its first steps while the rest is read; it opens at the top. */
  const open = useCallback(async (input: string | Blob) => {
    const m = new TraceModel();
    const errors: { line: number; reason: string }[] = [];
    setModel(m);
    setFileErrors(errors);
    setRunId(undefined);
    setSelected(undefined);
    setFollow(false);
    setProblem(undefined);
    await parseTrace(input, (batch) => {
      m.add(batch.events);
      if (batch.errors.length) { errors.push(...batch.errors); setFileErrors([...errors]); }
    });
  }, []);

  const save = () => {
    const events: LoopEvent[] = run ? model.events.filter((e) => e.runId === run.runId) : model.events;
    const url = URL.createObjectURL(new Blob([toJSONL(events)], { type: 'application/x-ndjson' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `looplet-${run?.runId ?? 'trace'}.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return; // typing, not commanding
      if (e.key === '/') { search.current?.focus(); e.preventDefault(); }
      else if (e.key === 'd' && step) setTab('diff');
      else if (e.key === 'Escape') setSelected(undefined);
      else if (e.key === 'f') setFollow((f) => !f);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) void open(f);
  };

  const u = run?.usage;
  const wall = run?.startedAt && run.endedAt ? run.endedAt - run.startedAt : undefined;
  return (
    <div className={`lp-root${dark ? ' lp-dark' : ''}${dragging ? ' lp-drop' : ''}`} onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <style>{CSS}</style>
      <header className="lp-head" aria-label="Run summary">
        {runs.length > 1 && (
          <select aria-label="Run" value={run?.runId} onChange={(e) => setRunId(e.target.value)}>
            {runs.map((r) => <option key={r.runId} value={r.runId}>{runLabel(r)}</option>)}
          </select>
        )}
        <strong aria-label="Run status" data-status={run?.status ?? 'empty'}>{run ? `● ${run.status}` : 'No run yet'}</strong>
        {run && (
          <span className="lp-stat">
            {run.steps.length} steps · {tokens(u?.inputTokens)} in / {tokens(u?.outputTokens)} out{u?.costUsd !== undefined ? ` · $${u.costUsd.toFixed(4)}` : ''}{wall !== undefined ? ` · ${ms(wall)}` : ''}
            {run.pending.length ? ` · ‖ ${run.pending.length} pending` : ''}
            {run.compactions ? ` · ${run.compactions} compactions` : ''}
            {run.evals.length ? ` · evals ${run.evals.filter((x) => x.passed).length}/${run.evals.length} passed (${run.evals.map((x) => `${visible(x.name)} ${x.score}`).join(', ')})` : ''}{run.answer !== undefined ? ` · answer: ${visible(clip(answerText(run.answer), 80))}` : ''}
          </span>
        )}
        <span style={{ flex: 1 }} />
        <input ref={search} aria-label="Filter steps" placeholder="filter: tool:x status:error text ( / )" value={query} onChange={(e) => setQuery(e.target.value)} />
        <label>
          <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Open trace</span>
          <input type="file" accept=".jsonl,.ndjson,.json,application/x-ndjson" aria-label="Open trace" onChange={(e) => { const f = e.target.files?.[0]; if (f) void open(f); }} />
        </label>
        <details>
          <summary>Paste trace</summary>
          <form style={{ position: 'absolute', zIndex: 2, background: 'var(--panel)', padding: 6, border: '1px solid var(--line)' }} onSubmit={(e) => { e.preventDefault(); const t = new FormData(e.currentTarget).get('trace'); if (t) void open(String(t)); }}>
            <textarea name="trace" aria-label="Trace to open (JSONL)" rows={6} cols={60} />
            <div><button type="submit">Open pasted trace</button></div>
          </form>
        </details>
        <button onClick={save} disabled={!run}>Save trace</button>
        <button onClick={() => setFollow(!follow)} aria-pressed={follow} title="Keep the newest step in view as a run goes on (f)">{follow ? 'Following' : 'Follow'}</button>
        <button onClick={() => setDark(!dark)} aria-pressed={dark}>{dark ? 'Light theme' : 'Dark theme'}</button>
      </header>
      {problem && <div className="lp-errors" role="alert">{visible(problem)}</div>}
      {fileErrors.length > 0 && (
        <div className="lp-errors" role="alert">
          {fileErrors.length} malformed line{fileErrors.length > 1 ? 's' : ''} skipped: {fileErrors.slice(0, 5).map((e) => `line ${e.line}: ${visible(e.reason)}`).join('; ')}
        </div>
      )}
      {run && run.steps.length > 0 && (
        <div className="lp-timeline" aria-label="Timeline: LLM time and tool time per step" role="img">
          {run.steps.slice(-400).map((s) => (
            <span key={s.index} title={`#${s.index} LLM ${ms(s.record.timing.llmMs)} · tool ${ms(s.record.timing.toolMs)}`}>
              <i className="lp-llm" style={{ height: Math.min(24, 2 + Math.log2(1 + s.record.timing.llmMs) * 2) }} />
              <i className="lp-tool" style={{ height: Math.min(24, 2 + Math.log2(1 + s.record.timing.toolMs) * 2) }} />
            </span>
          ))}
        </div>
      )}
      <div className="lp-main">
        <div className="lp-list">
          {run && query && steps.length === 0
            ? <p role="status" style={{ padding: 8 }}>No step matches “{visible(query)}” ({run.steps.length} steps in this run).</p>
            : <StepList steps={steps} selected={selected} onSelect={setSelected} onOpen={(i) => { setSelected(i); detail.current?.focus(); }} follow={follow} onFollow={setFollow} />}
        </div>
        <div ref={detail} tabIndex={-1} style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
          {run && step ? <StepDetail key={step.index} run={run} step={step} tab={tab} onTab={setTab} /> : <p style={{ padding: 8 }}>{run ? 'Select a step (j/k or click).' : 'Run an agent, or open a trace (file picker or drop a .jsonl here).'}</p>}
        </div>
      </div>
      {run && onDecide && run.status === 'paused' && <ApprovalPanel runId={run.runId} pending={run.pending} tools={run.tools} onDecide={onDecide} />}
      <div aria-live="polite" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden' }}>{run ? `${run.steps.length} steps, ${run.status}` : ''}</div>
    </div>
  );
}

/** A run as the run picker lists it: its task, when it started, and how it stands. */
function runLabel(r: RunView): string {
  const task = typeof r.task === 'string' ? r.task : r.task && typeof r.task === 'object' && 'goal' in r.task ? String((r.task as { goal: unknown }).goal) : r.runId.slice(0, 8);
  const when = r.startedAt ? new Date(r.startedAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '';
  return `${clip(visible(task.replace(/\s+/g, ' ')), 48)}${when ? ` · ${when}` : ''} · ${r.status}`;
}
