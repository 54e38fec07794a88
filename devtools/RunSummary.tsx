import type { RunView } from './model.ts';
import { answerText, clip, ms, tokens, visible } from './text.ts';

/** A run as the run picker lists it: its task, when it started, and how it stands. */
export function runLabel(r: RunView): string {
  const task = typeof r.task === 'string' ? r.task : r.task && typeof r.task === 'object' && 'goal' in r.task ? String((r.task as { goal: unknown }).goal) : r.runId.slice(0, 8);
  const when = r.startedAt ? new Date(r.startedAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '';
  return `${clip(visible(task.replace(/\s+/g, ' ')), 48)}${when ? ` · ${when}` : ''} · ${r.status}`;
}

/** The run's status, totals (tokens, cost, wall time), pending calls, evals and answer. */
export function RunSummary({ run }: { run: RunView | undefined }) {
  if (!run) return <strong aria-label="Run status" data-status="empty">No run yet</strong>;
  const u = run.usage;
  const wall = run.startedAt && run.endedAt ? run.endedAt - run.startedAt : undefined;
  return (
    <>
      <strong aria-label="Run status" data-status={run.status}>● {run.status}</strong>
      <span className="lp-stat">
        {run.steps.length} steps · {tokens(u.inputTokens)} in / {tokens(u.outputTokens)} out{u.costUsd !== undefined ? ` · $${u.costUsd.toFixed(4)}` : ''}{wall !== undefined ? ` · ${ms(wall)}` : ''}
        {run.pending.length ? ` · ‖ ${run.pending.length} pending` : ''}
        {run.compactions ? ` · ${run.compactions} compactions` : ''}
        {run.evals.length ? ` · evals ${run.evals.filter((x) => x.passed).length}/${run.evals.length} passed (${run.evals.map((x) => `${visible(x.name)} ${x.score}`).join(', ')})` : ''}
        {run.answer !== undefined ? ` · answer: ${visible(clip(answerText(run.answer), 80))}` : ''}
      </span>
    </>
  );
}
