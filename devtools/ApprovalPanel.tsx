import { useEffect, useState } from 'react';
import type { PendingCall, ResumeDecision, ToolSchema } from 'looplet';
import type { validateSchema } from 'looplet/json-schema';
import { show, visible } from './text.ts';

// The full JSON Schema validator loads when a reviewer first edits, with import() as the loop
// loads it: a static import here would pull it into the panel's chunk (and an app's first load).
type Validate = typeof validateSchema;
let loaded: Validate | undefined;
const loadValidator = (): Promise<Validate> => import('looplet/json-schema').then((m) => (loaded = m.validateSchema));

export interface ApprovalPanelProps {
  runId: string;
  pending: readonly PendingCall[];
  tools: readonly ToolSchema[];
  onDecide(runId: string, decisions: Record<string, ResumeDecision>): void;
}

/** The calls a paused run waits on, with Approve / Reject (with a reason) / Edit arguments. */
export function ApprovalPanel({ runId, pending, tools, onDecide }: ApprovalPanelProps) {
  if (pending.length === 0) return null;
  return (
    <section className="lp-approval" aria-label="Pending approvals" role="region">
      <strong>‖ {pending.length} call{pending.length > 1 ? 's' : ''} waiting for approval</strong>
      <ul>
        {pending.map((p) => <PendingItem key={p.id} runId={runId} p={p} schema={p.schema ?? tools.find((t) => t.name === p.call.name)?.parameters} onDecide={onDecide} />)}
      </ul>
    </section>
  );
}

function PendingItem({ runId, p, schema, onDecide }: { runId: string; p: ApprovalPanelProps['pending'][number]; schema?: ToolSchema['parameters']; onDecide: ApprovalPanelProps['onDecide'] }) {
  const [mode, setMode] = useState<'idle' | 'reject' | 'edit'>('idle');
  const [reason, setReason] = useState('');
  // a tool that paused with an answer schema asks for an answer, not for its arguments again
  const answer = !!p.schema;
  const [draft, setDraft] = useState(() => JSON.stringify(answer ? {} : p.call.args, null, 2));
  const sig = p.signature ? { signature: p.signature } : {};
  const [validate, setValidate] = useState<{ check?: Validate; error?: string }>(() => ({ check: loaded }));
  useEffect(() => {
    if (mode !== 'edit' || !schema || validate.check || validate.error) return;
    let live = true;
    loadValidator().then(
      (check) => live && setValidate({ check }),
      (err: unknown) => live && setValidate({ error: `The schema validator did not load: ${(err as Error).message}` }),
    );
    return () => { live = false; };
  }, [mode, schema, validate]);
  let problem: string | undefined;
  let edited: Record<string, unknown> | undefined;
  let checking = false; // the validator is on its way: nothing can be sent yet
  if (mode === 'edit') {
    try {
      const v = JSON.parse(draft) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) problem = 'The arguments must be a JSON object.';
      else if (schema && validate.error) problem = validate.error;
      else if (schema && !validate.check) checking = true;
      else {
        edited = v as Record<string, unknown>;
        const issues = schema && validate.check ? validate.check(schema, edited) : [];
        if (issues.length) problem = issues.map((i) => `${i.path || (answer ? '(answer)' : '(args)')}: ${i.message}`).join('; ');
      }
    } catch (err) {
      problem = `Not valid JSON: ${(err as Error).message}`;
    }
  }
  const decide = (d: ResumeDecision) => onDecide(runId, { [p.id]: d });
  return (
    <li aria-label={`Pending call ${visible(p.call.name)}`}>
      <div><strong>{visible(p.call.name)}</strong> · {visible(p.reason)}</div>
      <pre className="lp-pre">{show(p.call.args).text}</pre>
      {p.data !== undefined && <details><summary>What the tool passed</summary><pre className="lp-pre" aria-label="Data the tool paused with">{show(p.data).text}</pre></details>}
      {mode === 'idle' && (
        <div style={{ display: 'flex', gap: 6 }}>
          <button onClick={() => decide({ kind: 'approve', ...sig })}>Approve</button>
          <button onClick={() => setMode('reject')}>Reject</button>
          <button onClick={() => setMode('edit')}>{answer ? 'Answer' : 'Edit arguments'}</button>
        </div>
      )}
      {mode === 'reject' && (
        <form onSubmit={(e) => { e.preventDefault(); decide({ kind: 'reject', reason: reason || 'Rejected by a reviewer.', ...sig }); }} style={{ display: 'flex', gap: 6 }}>
          <input aria-label="Reason for rejecting" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why (the model reads this)" autoFocus style={{ flex: 1 }} />
          <button type="submit">Reject</button>
          <button type="button" onClick={() => setMode('idle')}>Cancel</button>
        </form>
      )}
      {mode === 'edit' && (
        <form onSubmit={(e) => { e.preventDefault(); if (edited && !problem && !checking) decide({ kind: 'edit', args: edited, ...sig }); }}>
          <textarea aria-label={answer ? 'Answer (JSON)' : 'Arguments (JSON)'} value={draft} onChange={(e) => setDraft(e.target.value)} rows={6} style={{ width: '100%', fontFamily: 'monospace' }} autoFocus />
          {problem && <div role="alert" className="lp-errors">{visible(problem)}</div>}
          <div style={{ display: 'flex', gap: 6 }}>
            <button type="submit" disabled={!!problem || checking}>{answer ? 'Send answer' : 'Run with these arguments'}</button>
            <button type="button" onClick={() => setMode('idle')}>Cancel</button>
          </div>
        </form>
      )}
    </li>
  );
}
