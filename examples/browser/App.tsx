// The page: settings and Run on top; the saved runs (with their approvals) and the outbox on the
// left; the devtools panel following the runs on the right.
import { useRef, useState } from 'react';
import type { Checkpoint, Hook, LoopOutcome, ResumeDecision } from 'looplet';
import { LoopletDevtools, type liveSource } from 'looplet/devtools';
import { clearOutbox } from './outbox.ts';
import { Outbox } from './Outbox.tsx';
import { Runs } from './Runs.tsx';
import { forgetRuns, resumeRun, startRun } from './runs.ts';
import { Settings } from './Settings.tsx';
import { loadSettings, makeModel, saveSettings, type ModelSettings } from './settings.ts';
import { clearTrace, traceHook } from './trace.ts';

type Live = ReturnType<typeof liveSource>;

/** The newest checkpoint of each run replaces the one shown; a new run goes on top. */
const upsert = (runs: readonly Checkpoint[], c: Checkpoint): Checkpoint[] =>
  runs.some((r) => r.runId === c.runId) ? runs.map((r) => (r.runId === c.runId ? c : r)) : [c, ...runs];

export function App({ live, saved }: { live: Live; saved: readonly Checkpoint[] }) {
  const [settings, setSettings] = useState<ModelSettings>(loadSettings);
  const [runs, setRuns] = useState<readonly Checkpoint[]>(saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const running = useRef(false); // one run at a time: a second click never resumes a run twice

  const page: Hook = { name: 'page', onCheckpoint: (c) => setRuns((rs) => upsert(rs, c)) };
  const hooks: Hook[] = [live.hook, traceHook, page];

  const go = async (work: () => Promise<LoopOutcome>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await work();
      if (outcome.error) setError(outcome.error.message);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  const run = () => go(() => startRun(makeModel(settings), hooks));
  const decide = (runId: string, decisions: Record<string, ResumeDecision>) => go(() => resumeRun(runId, decisions, makeModel(settings), hooks));
  const forget = async () => {
    await Promise.all([forgetRuns(), clearTrace()]);
    clearOutbox();
    location.reload();
  };

  return (
    <div className="page">
      <header>
        <h1>looplet in the browser</h1>
        <Settings value={settings} onChange={(s) => { setSettings(s); saveSettings(s); }} />
        <button onClick={() => void run()} disabled={busy}>Run</button>
        <button onClick={() => void forget()} disabled={busy}>Forget runs</button>
        {busy && <span role="status">running…</span>}
        {error && <span role="alert">{error}</span>}
      </header>
      <aside>
        <Runs runs={runs} busy={busy} onResume={(id, d) => void decide(id, d)} />
        <Outbox />
      </aside>
      <main>
        <LoopletDevtools source={live} onDecide={(id, d) => void decide(id, d)} />
      </main>
    </div>
  );
}
