// The filter box: `tool:name`, `status:ok|error|denied|paused`, `-` to negate, "quoted phrases";
// other words are searched in the step's call and result, the messages its prompt added, and
// the model's reply — in their text, not in JSON (a quote or a newline is itself).
import { addedMessages, isError, type RunView, type StepRow } from './model.ts';

export { isError };

/** Does `step` match every term of `query`? With `run`, free words also search the prompt and the reply. */
export function matches(step: StepRow, query: string, run?: RunView): boolean {
  const r = step.record;
  let text: string | undefined;
  for (const { term, neg } of terms(query)) {
    let hit: boolean;
    if (term.startsWith('tool:')) hit = r.toolCall.name === term.slice(5);
    else if (term.startsWith('status:')) hit = r.status === term.slice(7);
    else hit = (text ??= searchable(step, run)).includes(term.toLowerCase());
    if (hit === neg) return false;
  }
  return true;
}

/** The query's terms: words, or "phrases in quotes", each maybe negated with `-`. */
function terms(query: string): { term: string; neg: boolean }[] {
  const out: { term: string; neg: boolean }[] = [];
  for (const [, neg, phrase, word] of query.matchAll(/(-?)(?:"([^"]*)"?|(\S+))/g)) {
    const term = phrase ?? word ?? '';
    if (term) out.push({ term, neg: neg === '-' });
  }
  return out;
}

function searchable(step: StepRow, run: RunView | undefined): string {
  const r = step.record;
  const out: string[] = [];
  strings([r.toolCall, r.toolResult], out);
  if (run) {
    const p = run.prompts[step.prompt];
    for (const m of addedMessages(run, step.prompt)) out.push(m.content);
    if (p?.response?.text) out.push(p.response.text);
    if (p?.response?.reasoning) out.push(p.response.reasoning);
  }
  return out.join('\n').toLowerCase();
}

/** Every key and scalar in a value, as text (bounded depth: traces are untrusted). */
function strings(v: unknown, out: string[], depth = 0): void {
  if (v === null || v === undefined || depth > 32) return;
  if (typeof v !== 'object') { out.push(String(v)); return; }
  if (Array.isArray(v)) { for (const x of v) strings(x, out, depth + 1); return; }
  for (const [k, x] of Object.entries(v)) { out.push(k); strings(x, out, depth + 1); }
}

/** The free words and phrases of a query (what the detail pane marks). */
export function searchWords(query: string): string[] {
  return terms(query).filter((t) => !t.neg && !/^(tool|status):/.test(t.term)).map((t) => t.term);
}

/** The next (dir 1) or previous (dir -1) error step after `from` in `steps`, by list order. */
export function nextError(steps: readonly StepRow[], from: number | undefined, dir: 1 | -1): StepRow | undefined {
  let at = from === undefined ? (dir === 1 ? -1 : steps.length) : steps.findIndex((s) => s.index === from);
  if (at < 0 && from !== undefined) at = dir === 1 ? -1 : steps.length;
  for (let i = at + dir; i >= 0 && i < steps.length; i += dir) if (isError(steps[i]!)) return steps[i];
  return undefined;
}
