// Evals over a coding-agent trace (DIR/trace.jsonl from `--trace DIR`): the file was written, its
// tests passed, and no refused call was sent again unchanged. From the repo:
//   npx tsx lib/cli.node.ts eval examples/coding-agent/evals.ts DIR/trace.jsonl
import { defineEval, type TraceView } from 'looplet';
import { workspacePath } from './workspace.ts';

type StepRecord = TraceView['steps'][number];

const FILE = 'fizzbuzz.js';
const TEST_COMMAND = /\btest\b|\.test\.|\bnpm t\b/;

const pathOf = (s: StepRecord): string | undefined => {
  try {
    return workspacePath(String(s.toolCall.args.path ?? ''));
  } catch {
    return undefined; // a path outside the workspace is no file of it
  }
};

/** Arguments as text with sorted keys, so the same call compares equal however it was written. */
const canonical = (v: unknown): string =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`
    : JSON.stringify(v) ?? 'null';

export const wroteFile = defineEval(`${FILE} was written`, (t) => {
  const writes = t.steps.filter((s) => ['write', 'edit'].includes(s.toolCall.name) && pathOf(s) === FILE);
  const ok = writes.some((s) => s.status === 'ok');
  return { score: ok ? 1 : 0, reason: ok ? `${writes.filter((s) => s.status === 'ok').length} successful write(s)/edit(s)` : `no successful write of ${FILE}` };
});

export const testsPass = defineEval('the tests pass', (t) => {
  const last = t.steps.filter((s) => s.toolCall.name === 'run' && TEST_COMMAND.test(String(s.toolCall.args.command))).at(-1);
  if (!last) return { score: 0, reason: 'no test command was run' };
  const data = last.toolResult.data as { exitCode?: number | null; stderr?: string } | undefined;
  const passed = last.status === 'ok' && data?.exitCode === 0;
  const why = last.status !== 'ok' ? `${last.status}: ${last.toolResult.error?.message ?? ''}` : `exit code ${String(data?.exitCode)}${data?.stderr ? `: ${data.stderr.slice(0, 120)}` : ''}`;
  return { score: passed ? 1 : 0, reason: `#${last.index} ${String(last.toolCall.args.command)} → ${why}` };
});

export const noBlindRetry = defineEval('no denied call retried unchanged', (t) => {
  const denied = t.steps.filter((s) => s.status === 'denied');
  const retried = denied.filter((d) => t.steps.some((s) => s.index > d.index && s.toolCall.name === d.toolCall.name && canonical(s.toolCall.args) === canonical(d.toolCall.args)));
  if (retried.length === 0) return { score: 1, reason: `${denied.length} denied, none retried` };
  return { score: 0, reason: `retried after a denial: ${retried.map((s) => `#${s.index} ${s.toolCall.name}(${canonical(s.toolCall.args)})`).join('; ')}` };
});

export const finished = defineEval('the run finished', (t) => ({ score: t.outcome?.status === 'done' ? 1 : 0, reason: t.outcome ? `${t.outcome.status}${t.outcome.reason ? ` (${t.outcome.reason})` : ''}` : 'no run.end in the trace' }));
