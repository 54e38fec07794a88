// The playground's coding demo (`?demo=coding`): the coding agent on an in-browser workspace, its
// `run` executing JavaScript in a Web Worker after approval in the panel, the devtools beside it.
// The workspace, the checkpoints and the trace are all in this origin's storage, so a reload
// finds the files and the pending approval still there.
import { useEffect, useMemo, useState } from 'react';
import type { Checkpoint, LoopEvent, ResumeDecision } from 'looplet';
import { LoopletDevtools, liveSource } from '../../devtools/index.ts';
import { DEFAULT_TASK } from '../../examples/coding-agent/agent.ts';
import type { BrowserWorkspace } from '../../examples/coding-agent/browser-workspace.ts';
import { DemoPicker } from '../DemoPicker.tsx';
import { loadEndpoint, saveEndpoint, type Endpoint } from '../model.ts';
import { ModelSettings } from '../ModelSettings.tsx';
import { codingBackend } from './model.ts';
import { runView, type RunView } from './run-output.ts';
import { chats, continueTurn, interrupted, newChat, resume, send, workspace, type TurnOptions } from './session.ts';
import { loadSettings, saveSettings, SESSIONS, type CodingSettings, type Session } from './settings.ts';
import { readTrace, traceHook } from './trace.ts';
import { WorkspacePane } from './WorkspacePane.tsx';

let restored = false; // the saved trace goes into the panel once, even under StrictMode
const CHANGES: ReadonlySet<LoopEvent['type']> = new Set(['step', 'run.end']);

export function CodingDemo() {
  const [live] = useState(() => liveSource());
  const [ep, setEp] = useState<Endpoint>(loadEndpoint);
  const [settings, setSettings] = useState<CodingSettings>(loadSettings);
  const [ws, setWs] = useState<BrowserWorkspace>();
  const [version, setVersion] = useState(0);
  const [runs, setRuns] = useState<RunView>({});
  const [task, setTask] = useState(DEFAULT_TASK);
  const [followUp, setFollowUp] = useState('');
  const [chat, setChat] = useState(() => chats().at(-1));
  const [cutOff, setCutOff] = useState<{ runId: string; checkpoint?: Checkpoint }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const llm = useMemo(() => codingBackend(ep, settings.session), [ep, settings.session]);

  useEffect(() => { void workspace.then(setWs, (err: unknown) => setError(`The workspace could not be opened: ${String(err)}`)); }, []);

  // The files and the last run's output follow the events: every step may have written a file.
  useEffect(() => live.subscribe((batch) => {
    if (!batch.some((e) => CHANGES.has(e.type))) return;
    setVersion((v) => v + 1);
    setRuns(runView(live.events));
  }), [live]);

  // After a reload: the saved events back into the panel (a pending approval among them), and a turn the reload cut off offered to continue.
  useEffect(() => {
    if (restored) return;
    restored = true;
    void readTrace().then((events) => { for (const e of events) live.hook.onEvent!(e); });
    const last = chats().at(-1);
    if (last) void interrupted(last).then(setCutOff);
  }, [live]);

  const options: TurnOptions = {
    llm, real: ep.kind !== 'scripted', jsonMode: settings.jsonMode, contextBudget: settings.contextBudget,
    hooks: (c) => [live.hook, traceHook(c)],
  };

  /** Runs one piece of work at a time, reporting its failure in the bar. */
  const work = async (job: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await job();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
      setVersion((v) => v + 1);
    }
  };

  const start = () => work(async () => {
    const id = await newChat();
    setChat(id);
    setCutOff(undefined);
    await send(id, task.trim() || DEFAULT_TASK, options);
  });
  const decide = (runId: string, decisions: Record<string, ResumeDecision>) => work(() => resume(runId, decisions, options));
  const goOn = (c: { runId: string; checkpoint?: Checkpoint }) => work(async () => { setCutOff(undefined); await continueTurn(c.runId, c.checkpoint, options); });
  const ask = (message: string) => chat && work(() => send(chat, message, options));
  const clear = () => work(async () => { await ws?.clear(); });

  const saveEp = (next: Endpoint) => { setEp(next); saveEndpoint(next); };
  const change = (next: Partial<CodingSettings>) => { const s = { ...settings, ...next }; setSettings(s); saveSettings(s); };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', font: '13px system-ui, sans-serif' }}>
      <nav aria-label="Playground" style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '6px 8px', borderBottom: '1px solid #d8dde3', flexWrap: 'wrap' }}>
        <h1 style={{ fontSize: 14, margin: 0 }}>looplet playground</h1>
        <DemoPicker />
        <form onSubmit={(e) => { e.preventDefault(); void start(); }} style={{ display: 'flex', gap: 4 }}>
          <input aria-label="Task" value={task} onChange={(e) => setTask(e.target.value)} style={{ width: 260 }} />
          <button type="submit" disabled={busy}>Run coding agent</button>
        </form>
        <ModelSettings ep={ep} onChange={saveEp} />
        {ep.kind === 'scripted' && (
          <label>
            Session{' '}
            <select aria-label="Scripted session" value={settings.session} onChange={(e) => change({ session: e.target.value as Session })}>
              {SESSIONS.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
            </select>
          </label>
        )}
        <label><input type="checkbox" checked={settings.jsonMode} onChange={(e) => change({ jsonMode: e.target.checked })} /> JSON-in-text tool calls</label>
        <label>
          Context budget{' '}
          <input aria-label="Context budget (tokens)" type="number" min={100} step={1000} value={settings.contextBudget} onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 100) change({ contextBudget: n }); }} style={{ width: 80 }} />
        </label>
        <button onClick={() => void clear()} disabled={busy || !ws}>Clear workspace</button>
        {cutOff && <button onClick={() => void goOn(cutOff)} disabled={busy}>Continue the interrupted run</button>}
        {chat && (
          <form onSubmit={(e) => { e.preventDefault(); const m = followUp.trim(); if (!m) return; setFollowUp(''); void ask(m); }} style={{ display: 'flex', gap: 4 }}>
            <input aria-label="Follow-up message" placeholder="Ask for more…" value={followUp} onChange={(e) => setFollowUp(e.target.value)} style={{ width: 200 }} />
            <button type="submit" disabled={busy || !followUp.trim()}>Ask</button>
          </form>
        )}
        {busy && <span role="status">running…</span>}
        {error && <span role="alert" style={{ color: '#b42318' }}>{error}</span>}
      </nav>
      <div style={{ flex: 1, minHeight: 0, display: 'flex' }}>
        <WorkspacePane workspace={ws} version={version} runs={runs} />
        <main style={{ flex: 1, minWidth: 0 }}>
          <LoopletDevtools source={live} deepLinks onDecide={(runId, d) => void decide(runId, d)} />
        </main>
      </div>
    </div>
  );
}
