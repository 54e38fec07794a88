// Pausing and resuming, loaded only by runs that do either: the checks a checkpoint passes
// before a run resumes from it, the pending calls a pause reports (signed when the run has
// an approval secret), and the decisions that answer them.
import { LoopletError } from '../errors.ts';
import type { RegisteredTool } from '../tools/types.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { failCall, parseArgs, unknownToolMessage } from './calls.ts';
import type { BatchState, CallState, Checkpoint } from './checkpoint.ts';
import { NOT_RUN } from './messages.ts';
import { readCheckpoint } from './read-checkpoint.ts';
import type { PendingCall, ResumeDecision } from './types.ts';

type Decisions = Readonly<Record<string, ResumeDecision>>;

/** The calls of a batch still waiting for an answer: paused, skipped by a pause, or cut off while running. */
const waiting = (batch: BatchState | undefined): CallState[] =>
  (batch?.calls ?? []).filter((c) => !c.recorded && (c.phase === 'paused' || c.running || (c.phase === 'skip' && c.note === NOT_RUN.paused)));

/** Reads `options.resume` and checks that this run can continue it: same tools, decisions for its pending calls. */
export function openCheckpoint(value: unknown, toolsPrint: string, decisions: Decisions | undefined): Checkpoint {
  const cp = readCheckpoint(value);
  if (cp.status === 'done') throw new LoopletError(`composableLoop: run ${cp.runId} already ended done; resuming it would run it again.`);
  if (cp.tools !== toolsPrint) {
    throw new LoopletError(`composableLoop: run ${cp.runId} was saved with another tool set; resume it with the same tools (names, descriptions, schemas).`);
  }
  const open = waiting(cp.batch);
  for (const id of Object.keys(decisions ?? {})) {
    if (!open.some((c) => c.id === id)) {
      throw new LoopletError(`Decision for "${id}" matches no pending call of run ${cp.runId} (pending: ${open.map((c) => c.id).join(', ') || 'none'}).`);
    }
  }
  return cp;
}

/** What a pause reports: the paused calls and those it left unrun. */
export async function pendingOf(items: readonly CallState[], secret: string | undefined, runId: string): Promise<PendingCall[]> {
  const open = items.filter((it) => it.phase === 'paused' || (it.phase === 'skip' && it.note === NOT_RUN.paused));
  return Promise.all(open.map(async (it) => {
    const call = { id: it.id, name: it.name, args: it.args };
    const p: PendingCall = { id: it.id, call, reason: it.note ?? NOT_RUN.paused };
    if (!secret) return p;
    const { signCall } = await import('./sign.ts'); // signing loads only for runs that sign
    return { ...p, signature: await signCall(secret, runId, call) };
  }));
}

export interface DecisionContext {
  readonly secret: string | undefined;
  readonly runId: string;
  readonly registry: ToolRegistry;
  /** Validates the call's arguments against the tool; on failure the call becomes an error step. */
  readonly validate: (it: CallState, tool: RegisteredTool) => boolean | Promise<boolean>;
}

/** Answers the checkpoint's pending calls. A decision is the answer: hooks are not asked again. */
export async function applyDecisions(batch: BatchState | undefined, decisions: Decisions, ctx: DecisionContext): Promise<void> {
  const open = waiting(batch);
  if (ctx.secret) {
    const { sameSignature, signCall } = await import('./sign.ts');
    for (const c of open) {
      const d = decisions[c.id];
      if (!d) continue;
      // The signature is over the call as it was pending (raw args for a call not looked at yet).
      const parsed = c.phase === 'skip' ? parseArgs(c.raw) : undefined;
      const args = parsed ? ('args' in parsed ? parsed.args : {}) : c.args;
      const want = await signCall(ctx.secret, ctx.runId, { id: c.id, name: c.name, args });
      if (typeof d.signature !== 'string' || !sameSignature(d.signature, want)) {
        throw new LoopletError(`Decision for "${c.id}" refused: its signature does not match the pending call (forged, altered or from another run).`);
      }
    }
  }
  for (const c of open) {
    const d = decisions[c.id];
    if (c.running) {
      c.running = false;
      // Started but not known to have finished: running it again could do it twice, so a human decides.
      if (!d) { c.phase = 'paused'; c.status = 'paused'; c.note = NOT_RUN.interrupted; c.shown = false; continue; }
    } else if (c.phase === 'skip') {
      if (!d) { c.phase = 'new'; delete c.note; continue; }
    } else if (!d) continue;
    if (!d || typeof d !== 'object' || !['approve', 'reject', 'edit'].includes(d.kind)) {
      throw new LoopletError(`Decision for "${c.id}" must be approve(), reject(reason) or edit(args).`);
    }
    c.decided = true;
    c.status = 'ok';
    delete c.error;
    delete c.note;
    delete c.shown;
    if (c.phase === 'skip') { const p = parseArgs(c.raw); if ('args' in p) c.args = p.args; }
    if (d.kind === 'reject') {
      c.phase = 'result'; c.status = 'denied'; c.error = { kind: 'denied', message: d.reason, retriable: false };
      continue;
    }
    c.phase = 'run';
    const tool = ctx.registry.get(c.name);
    if (!tool) { failCall(c, 'unknown_tool', unknownToolMessage(c.name, ctx.registry), true); continue; }
    if (d.kind === 'edit') {
      c.args = d.args;
      const ok = ctx.validate(c, tool);
      if (ok !== true && ok !== false) await ok;
    }
  }
}
