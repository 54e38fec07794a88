// Pausing and resuming, loaded only by runs that do either: the checks a checkpoint passes
// before a run resumes from it, the pending calls a pause reports (signed when the run has
// an approval secret), and the decisions that answer them.
import { LoopletError } from '../errors.ts';
import type { BatchRecord, CallRecord, Checkpoint, PendingCall, ResumeDecision } from '../shapes.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { parseArgs, validateArgs } from './calls.ts';
import { pendingText } from './messages.ts';
import { readCheckpoint } from './read-checkpoint.ts';
import { behindPause, isWaiting, transition } from './run/call.ts';
import { unknownToolMessage } from './suggest.ts';

type Decisions = Readonly<Record<string, ResumeDecision>>;

/** Reads `options.resume` and checks that this run can continue it: same tools, decisions for its pending calls. */
export function openCheckpoint(value: unknown, toolsPrint: string, decisions: Decisions | undefined): Checkpoint {
  const cp = readCheckpoint(value);
  if (cp.status === 'done') throw new LoopletError(`composableLoop: run ${cp.runId} already ended done; resuming it would run it again.`);
  if (cp.tools !== toolsPrint) {
    throw new LoopletError(`composableLoop: run ${cp.runId} was saved with another tool set; resume it with the same tools (names, descriptions, schemas).`);
  }
  const open = (cp.batch?.calls ?? []).filter(isWaiting);
  for (const id of Object.keys(decisions ?? {})) {
    if (!open.some((c) => c.id === id)) {
      throw new LoopletError(`Decision for "${id}" matches no pending call of run ${cp.runId} (pending: ${open.map((c) => c.id).join(', ') || 'none'}).`);
    }
  }
  return cp;
}

/** The arguments a pending call shows (and its signature covers): a call waiting behind a pause has not been looked at yet. */
function pendingArgs(c: CallRecord): Record<string, unknown> {
  if (!behindPause(c)) return c.args;
  const parsed = parseArgs(c.raw);
  return 'args' in parsed ? parsed.args : {};
}

interface RunInfo {
  readonly runId: string;
  readonly approvalSecret: string | undefined;
  readonly config: { readonly maxSteps: number };
  readonly registry: ToolRegistry;
}

/** What a pause reports: the paused calls and those waiting behind them. */
export async function pendingOf(calls: readonly CallRecord[], run: RunInfo): Promise<PendingCall[]> {
  const open = calls.filter((c) => c.state === 'paused' || behindPause(c));
  const secret = run.approvalSecret;
  const sign = secret ? (await import('./sign.ts')).signCall : undefined; // signing loads only for runs that sign
  return Promise.all(open.map(async (c) => {
    const call = { id: c.id, name: c.name, args: pendingArgs(c) };
    const p: PendingCall = { id: c.id, call, reason: pendingText(c, run.config.maxSteps) };
    return sign && secret ? { ...p, signature: await sign(secret, run.runId, call) } : p;
  }));
}

/** Answers the checkpoint's pending calls. A decision is the answer: hooks are not asked again. */
export async function applyDecisions(batch: BatchRecord | undefined, decisions: Decisions, run: RunInfo): Promise<void> {
  const open = (batch?.calls ?? []).filter(isWaiting);
  if (run.approvalSecret) {
    const { sameSignature, signCall } = await import('./sign.ts');
    for (const c of open) {
      const d = decisions[c.id];
      if (!d) continue;
      // The signature is over the call as it was pending.
      const want = await signCall(run.approvalSecret, run.runId, { id: c.id, name: c.name, args: pendingArgs(c) });
      if (typeof d.signature !== 'string' || !sameSignature(d.signature, want)) {
        throw new LoopletError(`Decision for "${c.id}" refused: its signature does not match the pending call (forged, altered or from another run).`);
      }
    }
  }
  for (const c of open) {
    const d = decisions[c.id];
    // Started but not known to have finished: running it again could do it twice, so a human decides.
    if (c.state === 'running') transition(c, { type: 'interrupt' });
    if (!d) {
      if (behindPause(c)) transition(c, { type: 'reopen' }); // looked at afresh, hooks included
      continue;
    }
    if (typeof d !== 'object' || !['approve', 'reject', 'edit'].includes(d.kind)) {
      throw new LoopletError(`Decision for "${c.id}" must be approve(), reject(reason) or edit(args).`);
    }
    if (behindPause(c)) c.args = pendingArgs(c);
    if (d.kind === 'reject') {
      transition(c, { type: 'deny', error: { kind: 'denied', message: d.reason, retriable: false } });
      continue;
    }
    transition(c, { type: 'allow' });
    const tool = run.registry.get(c.name);
    if (!tool) {
      transition(c, { type: 'fail', error: { kind: 'unknown_tool', message: unknownToolMessage(c.name, run.registry), retriable: true } });
      continue;
    }
    if (d.kind === 'edit') {
      c.args = d.args;
      await validateArgs(c, tool);
    }
  }
}
