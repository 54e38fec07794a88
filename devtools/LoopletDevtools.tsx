import { Fragment, useCallback, useEffect, useMemo, useReducer, useRef, useState, type DragEvent } from 'react';
import { toJSONL, type LoopEvent, type ResumeDecision } from 'looplet';
import { ApprovalPanel } from './ApprovalPanel.tsx';
import { readLink, writeLink, type Link } from './link.ts';
import { childRuns, stepAt, TraceModel, type RunView } from './model.ts';
import { parseTrace } from './parse.ts';
import { RunCompare } from './RunCompare.tsx';
import { pickerGroups, RunSummary, runLabel } from './RunSummary.tsx';
import { isError, matches, nextError, searchWords } from './search.ts';
import type { TraceSource } from './source.ts';
import { Highlight, StepDetail, type DetailTab } from './StepDetail.tsx';
import { StepList } from './StepList.tsx';
import { CSS } from './styles.ts';
import { visible } from './text.ts';
import { Waterfall } from './Waterfall.tsx';

export interface LoopletDevtoolsProps {
  /** Live or static events; a file can also be opened from the panel. */
  source?: TraceSource;
  /** Called with the decisions for a paused run (resume it with them). */
  onDecide?(runId: string, decisions: Record<string, ResumeDecision>): void;
  /** Adds "Replay from here" to each step: re-run `run` up to `step` from its recorded replies (see `forkPoint`). */
  onReplay?(run: RunView, step: number): void;
  /** Keep the selected run, step, tab and filter in the URL's hash (a reload or a shared link opens the same view). */
  deepLinks?: boolean;
  theme?: 'light' | 'dark' | 'system';
}

type Loading = { state: 'idle' } | { state: 'reading'; name: string } | { state: 'read'; name: string };

export function LoopletDevtools({ source, onDecide, onReplay, deepLinks = false, theme = 'system' }: LoopletDevtoolsProps) {
  const [link] = useState<Link>(() => (deepLinks && typeof location !== 'undefined' ? readLink(location.hash) : {}));
  const [model, setModel] = useState(() => new TraceModel({ keepEvents: !source?.reread }));
  const [origin, setOrigin] = useState<() => Promise<string | Blob>>();
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const [runId, setRunId] = useState<string | undefined>(link.run);
  const [selected, setSelected] = useState<number | undefined>(link.step);
  const [tab, setTab] = useState<DetailTab>(link.tab ?? 'prompt');
  const [query, setQuery] = useState(link.q ?? '');
  const [fileErrors, setFileErrors] = useState<{ line: number; reason: string }[]>([]);
  const [dark, setDark] = useState(() => theme === 'dark' || (theme === 'system' && typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches));
  const [dragging, setDragging] = useState(false);
  const [follow, setFollow] = useState(() => !!source?.live && link.step === undefined);
  const [problem, setProblem] = useState<string>();
  const [loading, setLoading] = useState<Loading>({ state: 'idle' });
  const [compareWith, setCompareWith] = useState<string>();
  const [comparing, setComparing] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const detail = useRef<HTMLDivElement>(null);

  useEffect(() => model.subscribe(bump), [model]);
  const [heard, setHeard] = useState(false);
  useEffect(() => (source ? source.subscribe((events) => { model.add(events); setHeard(true); }, setProblem) : undefined), [source, model]);

  const runs = [...model.runs.values()];
  const run: RunView | undefined = (runId && model.runs.get(runId)) || runs[runs.length - 1];
  const steps = useMemo(() => (run ? (query ? run.steps.filter((s) => matches(s, query, run)) : run.steps) : []), [run, run?.version, query]);
  const step = run && stepAt(run, selected);
  const words = useMemo(() => searchWords(query), [query]);
  const errors = useMemo(() => { if (!query) return run?.failed ?? 0; let n = 0; for (const s of steps) if (isError(s)) n++; return n; }, [steps, run?.version, query]);
  const other = runs.find((r) => r.runId === compareWith && r !== run) ?? runs.find((r) => r !== run);

  useEffect(() => {
    if (!deepLinks) return;
    const hash = writeLink(location.hash, { run: run?.runId ?? runId, step: selected, tab: selected === undefined ? undefined : tab, q: query });
    if (hash !== location.hash) history.replaceState(history.state, '', hash || location.pathname + location.search);
  }, [deepLinks, run?.runId, runId, selected, tab, query]);
  useEffect(() => {
    if (!deepLinks) return;
    const onHash = () => {
      const l = readLink(location.hash);
      setRunId(l.run);
      setSelected(l.step);
      if (l.tab) setTab(l.tab);
      setQuery(l.q ?? '');
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [deepLinks]);

  /** A file (or pasted text): parsed in batches, shown from its first steps while the rest is read; it opens at the top. */
  const open = useCallback(async (input: string | Blob) => {
    const m = new TraceModel({ keepEvents: false }); // "Save trace" reads the file again
    const errs: { line: number; reason: string }[] = [];
    const name = input instanceof File ? input.name : 'pasted trace';
    setModel(m);
    setOrigin(() => async () => input);
    setFileErrors(errs);
    setRunId(undefined);
    setSelected(undefined);
    setFollow(false);
    setProblem(undefined);
    setComparing(false);
    setLoading({ state: 'reading', name });
    try {
      await parseTrace(input, (batch) => {
        m.add(batch.events);
        if (batch.errors.length) { errs.push(...batch.errors); setFileErrors([...errs]); }
      });
    } catch (err) {
      setProblem(`Could not read ${name}: ${(err as Error).message}`);
    }
    setLoading({ state: 'read', name });
  }, []);

  const save = async () => {
    const again = origin ?? source?.reread;
    const all: LoopEvent[] = model.keepsEvents || !again ? model.events : (await parseTrace(await again())).events;
    const events = run ? all.filter((e) => e.runId === run.runId) : all;
    const url = URL.createObjectURL(new Blob([toJSONL(events)], { type: 'application/x-ndjson' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `looplet-${run?.runId ?? 'trace'}.jsonl`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const goError = (dir: 1 | -1) => {
    const s = nextError(steps, selected, dir);
    if (s) { setSelected(s.index); setFollow(false); }
  };
  const select = (i: number) => { setSelected(i); setComparing(false); };
  const openRun = (id: string) => { setRunId(id); setSelected(undefined); setComparing(false); };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return; // typing, not commanding
      if (e.key === '/') { search.current?.focus(); e.preventDefault(); }
      else if (e.key === 'd' && step) setTab('diff');
      else if (e.key === 'Escape') setSelected(undefined);
      else if (e.key === 'f') setFollow((f) => !f);
      else if (e.key === 'e' || e.key === 'E') goError(e.key === 'e' ? 1 : -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) void open(f);
  };

  const replay = onReplay && run ? (i: number) => { onReplay(run, i); setCompareWith(run.runId); setRunId(undefined); setSelected(undefined); setFollow(true); } : undefined;
  return (
    <div className={`lp-root${dark ? ' lp-dark' : ''}${dragging ? ' lp-drop' : ''}`} onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <style>{CSS}</style>
      <header className="lp-head" aria-label="Run summary">
        {runs.length > 1 && (
          <select aria-label="Run" value={run?.runId} onChange={(e) => openRun(e.target.value)}>
            {pickerGroups(runs).map((g, i) => {
              const options = g.items.map(({ run: r, depth }) => <option key={r.runId} value={r.runId}>{'\u00a0\u00a0'.repeat(depth)}{depth ? '↳ ' : ''}{runLabel(r)}</option>);
              return g.label ? <optgroup key={g.label} label={g.label}>{options}</optgroup> : <Fragment key={i}>{options}</Fragment>;
            })}
          </select>
        )}
        <RunSummary run={run} onOpenRun={openRun} />
        <span style={{ flex: 1 }} />
        <input ref={search} type="search" style={{ width: 260 }} aria-label="Filter steps" placeholder="search, tool:x, status:error ( / )" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button onClick={() => file.current?.click()}>Open trace file…</button>
        <input ref={file} className="lp-hidden" tabIndex={-1} type="file" accept=".jsonl,.ndjson,.json,application/x-ndjson" aria-label="Open trace" onChange={(e) => { const f = e.target.files?.[0]; if (f) void open(f); e.target.value = ''; }} />
        <details>
          <summary>Paste trace</summary>
          <form className="lp-paste" onSubmit={(e) => { e.preventDefault(); const t = new FormData(e.currentTarget).get('trace'); if (t) void open(String(t)); }}>
            <textarea name="trace" aria-label="Trace to open (JSONL)" rows={6} cols={60} />
            <div><button type="submit">Open pasted trace</button></div>
          </form>
        </details>
        <button onClick={() => void save().catch((err: unknown) => setProblem(`Could not save the trace: ${(err as Error).message}`))} disabled={!run}>Save trace</button>
        {runs.length > 1 && <button onClick={() => setComparing(!comparing)} aria-pressed={comparing}>Compare runs</button>}
        <button onClick={() => setFollow(!follow)} aria-pressed={follow} title="Keep the newest step in view as a run goes on (f)">{follow ? 'Following' : 'Follow'}</button>
        <button onClick={() => setDark(!dark)} aria-pressed={dark}>{dark ? 'Light theme' : 'Dark theme'}</button>
      </header>
      {problem && <div className="lp-errors" role="alert">{visible(problem)}</div>}
      {fileErrors.length > 0 && (
        <div className="lp-errors" role="alert">
          {fileErrors.length} malformed line{fileErrors.length > 1 ? 's' : ''} skipped: {fileErrors.slice(0, 5).map((e) => `line ${e.line}: ${visible(e.reason)}`).join('; ')}
        </div>
      )}
      {dragging && <div className="lp-dropnote" aria-hidden="true">Drop the trace to open it</div>}
      {!run ? <Empty says={emptyText(loading, source, heard, problem)} busy={loading.state === 'reading' || (!!source && !heard && !source.live && !problem)} onOpen={() => file.current?.click()} /> : comparing && other ? (
        <div className="lp-detail">
          <label>Compare with{' '}
            <select aria-label="Compare with run" value={other.runId} onChange={(e) => setCompareWith(e.target.value)}>
              {runs.filter((r) => r !== run).map((r) => <option key={r.runId} value={r.runId}>{runLabel(r)}</option>)}
            </select>
          </label>
          <RunCompare a={run} b={other} label={runLabel} onSelect={select} />
        </div>
      ) : (
        <>
          {run.steps.length > 0 && <Waterfall run={run} selected={selected} onSelect={(i) => { setSelected(i); setFollow(false); }} />}
          <div className="lp-main">
            <div className="lp-list">
              <div className="lp-listbar">
                <span className="lp-muted" role="status">{query ? `${steps.length} of ${run.steps.length} steps match` : `${run.steps.length} steps`}{errors ? ` · ${errors} failed` : ''}</span>
                <button onClick={() => goError(-1)} disabled={!errors} title="Previous failed step (E)">Previous error</button>
                <button onClick={() => goError(1)} disabled={!errors} title="Next failed step (e)">Next error</button>
              </div>
              {query && steps.length === 0
                ? <p role="status" style={{ padding: 8 }}>No step matches “{visible(query)}” ({run.steps.length} steps in this run).</p>
                : run.steps.length === 0
                  ? <p style={{ padding: 8 }}>No steps yet: the run is {run.status}.</p>
                  : <StepList steps={steps} selected={selected} onSelect={setSelected} onOpen={(i) => { setSelected(i); detail.current?.focus(); }} follow={follow} onFollow={setFollow} />}
            </div>
            <div ref={detail} tabIndex={-1} className="lp-detailpane">
              <Highlight.Provider value={words}>
                {step ? <StepDetail key={step.index} run={run} step={step} tab={tab} onTab={setTab} onReplay={replay} subagents={childRuns(runs, run, step)} onOpenRun={openRun} /> : <p style={{ padding: 8 }}>Select a step (j/k or click a row or a bar).</p>}
              </Highlight.Provider>
            </div>
          </div>
        </>
      )}
      {run && onDecide && run.status === 'paused' && <ApprovalPanel runId={run.runId} pending={run.pending} tools={run.tools} onDecide={onDecide} />}
      <div aria-live="polite" className="lp-hidden">{run ? `${run.steps.length} steps, ${run.status}` : ''}</div>
    </div>
  );
}

/** What the panel says before there is a run: reading a file, waiting for a live run, or where to start. */
function emptyText(loading: Loading, source: TraceSource | undefined, heard: boolean, problem: string | undefined): string {
  if (loading.state === 'reading') return `Reading ${loading.name}…`;
  if (loading.state === 'read') return `${loading.name} has no looplet events (a trace is what toJSONL or a trace hook writes).`;
  if (!source) return 'No trace open.';
  if (source.live) return 'Waiting for the first event of a run…';
  return heard ? 'This trace has no looplet events.' : problem ? 'No trace loaded.' : 'Loading the trace…';
}

function Empty({ says, busy, onOpen }: { says: string; busy: boolean; onOpen(): void }) {
  return (
    <div className="lp-empty">
      <p role="status" aria-busy={busy}>{visible(says)}</p>
      <p>Drop a <code>.jsonl</code> trace here, or <button onClick={onOpen}>Choose a trace file…</button></p>
    </div>
  );
}
