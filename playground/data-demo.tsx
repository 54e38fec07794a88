// The playground's first demo: the data-cleanup agent running in this tab, the devtools beside it.
// Checkpoints and the trace go to IndexedDB / localStorage, so a reload during an approval
// pause finds the run still waiting.
import { useEffect, useMemo, useState } from 'react';
import {
  ApprovalHook, CheckpointHook, collect, composableLoop, conversation, MockLLMBackend, parseJSONL, resumeFrom, toJSONL, ToolRegistry,
  type Hook, type LLMBackend, type LoopEvent, type ResumeDecision, type Step, type LoopOutcome,
} from 'looplet';
import { indexedDBStore } from 'looplet/idb';
import { eventStreamSource, forkBackend, forkPoint, LoopletDevtools, liveSource, staticSource, type RunView, type TraceSource } from '../devtools/index.ts';
import { dataAgentTools, scriptedDataModel, TASK } from '../examples/data-agent/agent.ts';
import { DemoPicker } from './DemoPicker.tsx';
import { endpointBackend, loadEndpoint, saveEndpoint, type Endpoint } from './model.ts';
import { ModelSettings } from './ModelSettings.tsx';

const store = indexedDBStore({ dbName: 'looplet-playground' });
const TRACE = 'looplet-playground:trace:';
const CHAT = 'looplet-playground:chat';
let restored = false;

const tools = dataAgentTools(async (path, csv) => {
  localStorage.setItem(`looplet-playground:file:${path}`, csv);
  return `localStorage/${path}`;
});

/** The scripted model, answering a follow-up message from what the run did (a real model just reads the chat). */
function withFollowUps(inner: LLMBackend): LLMBackend {
  return {
    generate(req, options) {
      const at = req.messages.findLastIndex((m) => m.role === 'user');
      const last = req.messages[at];
      if (!last || last.content === TASK || req.messages.slice(at).some((m) => m.role === 'tool')) return inner.generate(req, options);
      const result = req.messages.filter((m) => m.role === 'tool' && m.name === 'save').at(-1)?.content;
      let saved = result;
      try { saved = (JSON.parse(result ?? '') as { written?: string }).written ?? result; } catch { /* plain text */ }
      const answer = `You asked: "${last.content}". ${saved ? `The cleaned file is at ${saved}.` : 'Nothing has been saved yet.'} (I read the whole conversation: ${req.messages.length} messages.)`;
      return Promise.resolve({ toolCalls: [{ id: `call-follow-up-${req.messages.length}`, name: 'done', arguments: { answer } }], usage: { inputTokens: 40 * req.messages.length, outputTokens: 30, totalTokens: 40 * req.messages.length + 30 } });
    },
  };
}

function backend(ep: Endpoint): LLMBackend {
  return ep.kind === 'scripted' ? withFollowUps(scriptedDataModel(250)) : endpointBackend(ep);
}

const KEEP_RUNS = 20;

/** Appends every event of a run to localStorage, so the panel shows this tab's runs again after a reload (the last 20). */
function persist(runId: string): Hook {
  const runs: string[] = JSON.parse(localStorage.getItem(TRACE + 'runs') ?? '[]');
  if (!runs.includes(runId)) {
    runs.push(runId);
    for (const old of runs.splice(0, Math.max(0, runs.length - KEEP_RUNS))) localStorage.removeItem(TRACE + old);
    localStorage.setItem(TRACE + 'runs', JSON.stringify(runs));
  }
  return { name: 'persist', onEvent: (e) => localStorage.setItem(TRACE + runId, (localStorage.getItem(TRACE + runId) ?? '') + toJSONL([e])) };
}

async function drive(run: AsyncGenerator<Step, LoopOutcome>): Promise<void> {
  for (;;) if ((await run.next()).done) return;
}

/** A synthetic trace of `n` steps, for the sample buttons (and the 10,000-step check). */
async function sampleTrace(n: number): Promise<LoopEvent[]> {
  const events: LoopEvent[] = [];
  const reg = new ToolRegistry().register({ name: 'read_row', description: 'Read a row.', parameters: { type: 'object', properties: { i: { type: 'integer' } } }, execute: ({ i }) => ({ row: i, value: `value ${String(i)}` }) });
  const script = Array.from({ length: n - 1 }, (_, i) => ({ toolCalls: [{ id: `c${i}`, name: 'read_row', arguments: { i } }], usage: { inputTokens: 100 + i, outputTokens: 12, totalTokens: 112 + i } }));
  await collect(composableLoop({ llm: new MockLLMBackend([...script, { toolCalls: [{ id: 'done', name: 'done', arguments: { answer: `read ${n - 1} rows` } }] }]), tools: reg, task: `Read ${n - 1} rows.`, config: { maxSteps: n }, hooks: [{ onEvent: (e) => void events.push(e) }] }));
  return events;
}

export function DataDemo() {
  const [live] = useState(() => liveSource());
  const [source, setSource] = useState<TraceSource>(live);
  const [panelKey, setPanelKey] = useState(0);
  const [ep, setEp] = useState<Endpoint>(loadEndpoint);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const llm = useMemo(() => backend(ep), [ep]);
  // each demo run is a chat turn: the chat keeps its checkpoints, so a finished run takes a follow-up
  const hooks = (runId: string): Hook[] => [new ApprovalHook(), live.hook, persist(runId)];
  const [chatId, setChatId] = useState(() => localStorage.getItem(CHAT) ?? undefined);
  const [followUp, setFollowUp] = useState('');

  /** A turn of the chat: the run's id is the chat's next turn's. */
  const send = async (id: string, message: string) => {
    const chat = conversation({ store, id });
    const runId = `${id}.turn-${(await chat.turns()).length + 1}`;
    await drive(chat.send(message, { llm, tools, hooks: hooks(runId) }));
  };

  // After a reload: show this tab's earlier runs again, those waiting for approval included (once, even under StrictMode).
  useEffect(() => {
    if (restored) return;
    restored = true;
    const runs: string[] = JSON.parse(localStorage.getItem(TRACE + 'runs') ?? '[]');
    for (const runId of runs) {
      const text = localStorage.getItem(TRACE + runId);
      if (text) for (const e of parseJSONL(text)) live.hook.onEvent!(e);
    }
  }, [live]);

  const watch = (source: TraceSource) => { setSource(source); setPanelKey((k) => k + 1); };

  const start = async () => {
    if (source !== live) watch(live);
    setBusy(true);
    setError(undefined);
    try {
      const id = crypto.randomUUID();
      localStorage.setItem(CHAT, id);
      setChatId(id);
      await send(id, TASK);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  /** Fork: the recorded replies up to `step`, then the model chosen above; the new run is listed beside the original. */
  const replay = async (run: RunView, step: number) => {
    if (source !== live) watch(live);
    setBusy(true);
    setError(undefined);
    try {
      const { task, replies } = forkPoint(run, step);
      const runId = crypto.randomUUID();
      await drive(composableLoop({ llm: forkBackend(replies, llm), tools, task: typeof task === 'string' ? task : TASK, hooks: [...hooks(runId), new CheckpointHook({ store, runId })], runId }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const decide = async (runId: string, decisions: Record<string, ResumeDecision>) => {
    setBusy(true);
    try {
      const chat = /^(.*)\.turn-\d+$/.exec(runId)?.[1]; // a chat's turn is resumed through the chat, and stays one turn
      if (chat) await drive(conversation({ store, id: chat }).resume(decisions, { llm, tools, hooks: hooks(runId) }));
      else await drive(resumeFrom(store, runId, { llm, tools, hooks: [...hooks(runId), new CheckpointHook({ store, runId })], decisions }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const saveEp = (next: Endpoint) => { setEp(next); saveEndpoint(next); };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', font: '13px system-ui, sans-serif' }}>
      <nav aria-label="Playground" style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '6px 8px', borderBottom: '1px solid #d8dde3', flexWrap: 'wrap' }}>
        <h1 style={{ fontSize: 14, margin: 0 }}>looplet playground</h1>
        <DemoPicker />
        <button onClick={start} disabled={busy}>Run demo agent</button>
        <ModelSettings ep={ep} onChange={saveEp} />
        <span style={{ flex: 1 }} />
        <form onSubmit={(e) => { e.preventDefault(); const url = new FormData(e.currentTarget).get('url'); if (url) watch(eventStreamSource(String(url))); }} style={{ display: 'flex', gap: 4 }}>
          <input name="url" aria-label="Event stream URL" placeholder="https://worker.example/run (text/event-stream)" style={{ width: 230 }} />
          <button type="submit">Watch</button>
        </form>
        <button onClick={async () => watch(staticSource(await sampleTrace(40)))}>Open sample trace</button>
        <button onClick={async () => watch(staticSource(await sampleTrace(10_000)))}>Open 10,000-step sample</button>
        {chatId && (
          <form onSubmit={(e) => { e.preventDefault(); const m = followUp.trim(); if (!m) return; setFollowUp(''); setBusy(true); setError(undefined); void send(chatId, m).catch((err: unknown) => setError((err as Error).message)).finally(() => setBusy(false)); }} style={{ display: 'flex', gap: 4 }}>
            <input aria-label="Follow-up message" placeholder="Ask a follow-up…" value={followUp} onChange={(e) => setFollowUp(e.target.value)} style={{ width: 200 }} />
            <button type="submit" disabled={busy || !followUp.trim()}>Ask</button>
          </form>
        )}
        {busy && <span role="status">running…</span>}
        {error && <span role="alert" style={{ color: '#b42318' }}>{error}</span>}
      </nav>
      <main style={{ flex: 1, minHeight: 0 }}>
        <LoopletDevtools key={panelKey} source={source} deepLinks onDecide={(runId, d) => void decide(runId, d)} onReplay={(run, step) => void replay(run, step)} />
      </main>
    </div>
  );
}
