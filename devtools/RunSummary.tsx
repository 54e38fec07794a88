import type { RunView } from './model.ts';
import { answerText, clip, ms, tokens, visible } from './text.ts';

const taskOf = (r: RunView): string => (typeof r.task === 'string' ? r.task : r.task && typeof r.task === 'object' && 'goal' in r.task ? String((r.task as { goal: unknown }).goal) : r.runId.slice(0, 8));

/** A run as the run picker lists it: its task (a chat turn: its number and message), when it started, and how it stands. */
export function runLabel(r: RunView): string {
  const when = r.startedAt ? new Date(r.startedAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '';
  const turn = r.turn !== undefined ? `turn ${r.turn}: ` : '';
  return `${turn}${clip(visible(taskOf(r).replace(/\s+/g, ' ')), 48)}${when ? ` · ${when}` : ''} · ${r.status}`;
}

/** The run picker's entries: a chat's turns under the chat, a subagent's run under the run that started it. */
export function pickerGroups(runs: readonly RunView[]): { label?: string; items: { run: RunView; depth: number }[] }[] {
  const known = new Set(runs.map((r) => r.runId));
  const isChild = (r: RunView) => r.parentRunId !== undefined && known.has(r.parentRunId);
  const kids = new Map<string, RunView[]>();
  for (const r of runs) if (isChild(r)) kids.set(r.parentRunId!, [...(kids.get(r.parentRunId!) ?? []), r]);
  const walk = (r: RunView, depth: number, into: { run: RunView; depth: number }[]) => {
    into.push({ run: r, depth });
    for (const c of kids.get(r.runId) ?? []) walk(c, depth + 1, into);
  };
  const loose: { items: { run: RunView; depth: number }[] } = { items: [] };
  const chats = new Map<string, { label: string; items: { run: RunView; depth: number }[] }>();
  for (const r of runs) {
    if (isChild(r)) continue; // listed under its parent
    if (r.conversationId === undefined) { walk(r, 0, loose.items); continue; }
    let chat = chats.get(r.conversationId);
    if (!chat) chats.set(r.conversationId, (chat = { label: `Chat ${visible(r.conversationId)}`, items: [] }));
    walk(r, 0, chat.items);
  }
  return [...(loose.items.length ? [loose] : []), ...chats.values()];
}

/** The run's status, totals (tokens, cost, wall time), pending calls, evals and answer. */
export function RunSummary({ run, onOpenRun }: { run: RunView | undefined; onOpenRun?: (runId: string) => void }) {
  if (!run) return <strong aria-label="Run status" data-status="empty">No run yet</strong>;
  const u = run.usage;
  const wall = run.startedAt && run.endedAt ? run.endedAt - run.startedAt : undefined;
  return (
    <>
      <strong aria-label="Run status" data-status={run.status}>● {run.status}</strong>
      {run.conversationId !== undefined && <span className="lp-stat" aria-label="Conversation">Chat {visible(run.conversationId)} · turn {run.turn}: “{visible(clip(taskOf(run), 60))}”</span>}
      {run.parentRunId !== undefined && onOpenRun && <button onClick={() => onOpenRun(run.parentRunId!)}>Open parent run</button>}
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
