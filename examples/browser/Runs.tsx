// The runs saved in IndexedDB, newest first: status, answer, and the calls a paused run waits on,
// with Approve / Reject. Everything from the model is rendered as text.
import { useState } from 'react';
import { approve, reject, type Checkpoint, type ResumeDecision } from 'looplet';

type Pending = NonNullable<Checkpoint['pending']>[number];
type Resume = (runId: string, decisions: Record<string, ResumeDecision>) => void;

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2) ?? String(v));

export function Runs({ runs, busy, onResume }: { runs: readonly Checkpoint[]; busy: boolean; onResume: Resume }) {
  return (
    <section aria-label="Runs">
      <h2>Runs</h2>
      {runs.length === 0 && <p>No runs yet: press Run.</p>}
      {runs.map((c) => (
        <article key={c.runId} aria-label={`Run ${c.runId.slice(0, 8)}`} className="run">
          <div>
            <code>{c.runId.slice(0, 8)}</code> <span aria-label="Status">{c.status}</span> · {c.stepCount} step{c.stepCount === 1 ? '' : 's'}
          </div>
          {c.status === 'done' && <p aria-label="Answer">{text(c.answer)}</p>}
          {c.status === 'paused' && (c.pending ?? []).map((p) => <PendingCall key={p.id} runId={c.runId} call={p} busy={busy} onResume={onResume} />)}
          {/* failed, stopped, or cut off by a reload mid-step: it goes on from its last checkpoint */}
          {c.status !== 'done' && c.status !== 'paused' && <button disabled={busy} onClick={() => onResume(c.runId, {})}>Continue</button>}
        </article>
      ))}
    </section>
  );
}

function PendingCall({ runId, call, busy, onResume }: { runId: string; call: Pending; busy: boolean; onResume: Resume }) {
  const [reason, setReason] = useState('');
  return (
    <div role="group" aria-label={`Waiting for approval: ${call.call.name}`} className="pending">
      <div><strong>{call.call.name}</strong> · {call.reason}</div>
      <pre>{text(call.call.args)}</pre>
      <button disabled={busy} onClick={() => onResume(runId, { [call.id]: approve() })}>Approve</button>
      <input aria-label="Reason for rejecting" placeholder="Why not (the model reads this)" value={reason} onChange={(e) => setReason(e.target.value)} />
      <button disabled={busy} onClick={() => onResume(runId, { [call.id]: reject(reason || 'Rejected in the example page.') })}>Reject</button>
    </div>
  );
}
