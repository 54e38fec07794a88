// Pausing and resuming, loaded only by runs that do either: the checks a checkpoint and its
// decisions pass before a run resumes (nothing is saved, no tool runs, when one fails), the
// pending calls a pause reports (signed when the run has an approval secret), and the
// decisions that answer them; and tools that pause themselves (`ctx.pause`), settled here when they do.
import { CheckpointError, DecisionError } from './refusals.ts';
import type { BatchRecord, CallRecord, Checkpoint, JSONSchema, PendingCall, ResumeDecision, ToolPauseInfo } from '../shapes.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { RegisteredTool } from '../tools/types.ts';
import { parseArgs, validateArgs } from './calls.ts';
import { skipText } from './messages.ts';
import { readCheckpoint } from './read-checkpoint.ts';
import type { ToolOutcome } from './run-tool.ts';
import { behindPause, transition } from './run/call.ts';
import { unknownToolMessage } from './suggest.ts';

type Decisions = Readonly<Record<string, ResumeDecision>>;

/** Calls a resume may answer: paused, waiting behind a paused call, or cut off while running. */
const isWaiting = (c: CallRecord): boolean => c.state === 'paused' || c.state === 'running' || behindPause(c);

const INTERRUPTED = 'Interrupted while running (the process stopped): it may or may not have run. Approve to run it again, or reject.';

/** Why a held call waits, as a pause reports it. */
function pendingText(call: CallRecord, maxSteps: number): string {
  const hold = call.hold;
  if (hold?.kind === 'pause') return hold.reason;
  if (hold?.kind === 'skip') return skipText(hold.reason, maxSteps);
  return INTERRUPTED;
}

/** Validates a stored call again (from what the validator was given) before it runs: a store may have been changed. */
function revalidate(call: CallRecord, tool: RegisteredTool): boolean | Promise<boolean> {
  if (call.input) call.args = call.input;
  return validateArgs(call, tool);
}


interface RunInfo {
  readonly runId: string;
  readonly approvalSecret: string | undefined;
  readonly config: { readonly maxSteps: number };
  readonly registry: ToolRegistry;
}

/** Reads `options.resume` and checks that this run can continue it: it has not ended done, and it has the same tools. */
export function openCheckpoint(value: unknown, toolsPrint: string): Checkpoint {
  const cp = readCheckpoint(value);
  if (cp.status === 'done') throw new CheckpointError(`composableLoop: run ${cp.runId} already ended done; resuming it would run it again.`, 'already_done');
  if (cp.tools !== toolsPrint) {
    throw new CheckpointError(`composableLoop: run ${cp.runId} was saved with another tool set; resume it with the same tools (names, descriptions, schemas).`, 'other_tools');
  }
  return cp;
}

/**
 * Checks the decisions for a checkpoint before anything happens: each answers a pending call, is
 * approve/reject/edit, and — with an approval secret — carries its call's signature, while the
 * reply they answer still matches its seal.
 */
export async function checkDecisions(cp: Checkpoint, decisions: Decisions, run: Pick<RunInfo, 'runId' | 'approvalSecret'>): Promise<void> {
  const open = (cp.batch?.calls ?? []).filter(isWaiting);
  for (const [id, d] of Object.entries(decisions)) {
    if (!open.some((c) => c.id === id)) {
      throw new DecisionError(`Decision for "${id}" matches no pending call of run ${cp.runId} (pending: ${open.map((c) => c.id).join(', ') || 'none'}).`, 'no_pending_call');
    }
    if (!d || typeof d !== 'object' || !['approve', 'reject', 'edit'].includes(d.kind)) {
      throw new DecisionError(`Decision for "${id}" must be approve(), reject(reason) or edit(args).`, 'invalid_decision');
    }
    const call = open.find((c) => c.id === id)!;
    const schema = call.hold?.kind === 'pause' ? call.hold.tool?.schema : undefined;
    if (schema && d.kind === 'edit') await checkAnswer(id, schema, d.args);
  }
  const secret = run.approvalSecret;
  if (!secret || !cp.batch) return;
  const { sameSignature, sealBatch, signCall } = await import('./sign.ts');
  checkSeal(cp.batch, (b) => sealBatch(secret, run.runId, b), sameSignature);
  for (const c of open) {
    const d = decisions[c.id];
    if (!d) continue;
    // The signature is over the call as it was pending.
    const want = signCall(secret, run.runId, { id: c.id, name: c.name, args: pendingArgs(c) });
    if (typeof d.signature !== 'string' || !sameSignature(d.signature, want)) {
      throw new DecisionError(`Decision for "${c.id}" refused: its signature does not match the pending call (forged, altered or from another run).`, 'bad_signature');
    }
  }
}

/** An answer to a tool that paused with a schema must match it (checked before anything runs). */
async function checkAnswer(id: string, schema: JSONSchema, answer: unknown): Promise<void> {
  const { validateSchema } = await import('../tools/json-schema.ts');
  const issues = answer && typeof answer === 'object' ? validateSchema(schema, answer) : [{ path: '', message: 'must be an object' }];
  if (issues.length) throw new DecisionError(`The answer for "${id}" does not match the schema the tool asked for: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}.`, 'invalid_decision');
}

/**
 * With an approval secret, a stored call runs only if its checkpoint's seal verifies or a signed
 * decision approves it. A seal that does not match means the store was changed without the secret;
 * an unsealed checkpoint (saved without the secret, or by looplet 0.1) may not hold a call cleared to run.
 */
function checkSeal(batch: BatchRecord, seal: (b: BatchRecord) => string, same: (a: string, b: string) => boolean): void {
  if (batch.seal !== undefined) {
    if (typeof batch.seal === 'string' && same(batch.seal, seal(batch))) return;
    throw new CheckpointError('The checkpoint\'s pending calls do not match their seal: the store was changed by someone without the approval secret.', 'tampered');
  }
  const runnable = batch.calls.filter((c) => c.state === 'approved');
  if (runnable.length > 0) {
    throw new CheckpointError(`The checkpoint is not sealed with the approval secret, yet it holds calls cleared to run (${runnable.map((c) => c.id).join(', ')}): refused.`, 'tampered');
  }
}

/** The arguments a pending call shows (and its signature covers): a call waiting behind a pause has not been looked at yet. */
function pendingArgs(c: CallRecord): Record<string, unknown> {
  if (!behindPause(c)) return c.args;
  const parsed = parseArgs(c.raw);
  return 'args' in parsed ? parsed.args : {};
}

/** What a pause reports: the paused calls and those waiting behind them. */
export async function pendingOf(calls: readonly CallRecord[], run: RunInfo): Promise<PendingCall[]> {
  const open = calls.filter((c) => c.state === 'paused' || behindPause(c));
  const secret = run.approvalSecret;
  const sign = secret ? (await import('./sign.ts')).signCall : undefined; // signing loads only for runs that sign
  return open.map((c) => {
    const call = { id: c.id, name: c.name, args: pendingArgs(c) };
    const asked = c.hold?.kind === 'pause' ? c.hold.tool : undefined;
    const p: PendingCall = { id: c.id, call, reason: pendingText(c, run.config.maxSteps), ...(asked?.data !== undefined ? { data: asked.data } : {}), ...(asked?.schema ? { schema: asked.schema } : {}) };
    return sign && secret ? { ...p, signature: sign(secret, run.runId, call) } : p;
  });
}

/**
 * A tool that paused itself runs again with the answer (`ctx.resumed`), a rejection included (it
 * may record its own result). `edit` gives it new arguments — or, when it paused with an answer
 * schema, an answer checked against that schema while its arguments stay.
 */
function answerTool(c: CallRecord, d: ResumeDecision, asked: ToolPauseInfo): void {
  const data = asked.data !== undefined ? { data: asked.data } : {};
  transition(c, { type: 'allow' });
  if (d.kind === 'reject') c.resumed = { kind: 'reject', reason: d.reason, ...data };
  else if (d.kind === 'approve') c.resumed = { kind: 'approve', ...data };
  else if (asked.schema) c.resumed = { kind: 'edit', args: d.args, ...data }; // checked against the schema by checkDecisions
  else {
    c.args = d.args;
    delete c.input;
    c.resumed = { kind: 'edit', args: d.args, ...data };
  }
}

/**
 * Answers the checkpoint's pending calls (checked already). A decision is the answer: hooks are
 * not asked again. Every call cleared to run — approved now, or stored so — is validated again
 * first: the store may have been changed.
 */
export async function applyDecisions(batch: BatchRecord | undefined, decisions: Decisions, run: RunInfo): Promise<void> {
  if (!batch) return;
  for (const c of batch.calls.filter(isWaiting)) {
    const d = decisions[c.id];
    // Started but not known to have finished: running it again could do it twice, so a human decides.
    if (c.state === 'running') transition(c, { type: 'interrupt' });
    // …unless it saved its progress as it went (a subagent): then it goes on from there
    if (!d && c.hold?.kind === 'interrupted' && c.progress !== undefined) {
      transition(c, { type: 'allow' });
      continue;
    }
    if (!d) {
      if (behindPause(c)) transition(c, { type: 'reopen' }); // looked at afresh, hooks included
      continue;
    }
    if (behindPause(c)) c.args = pendingArgs(c);
    const asked = c.hold?.kind === 'pause' ? c.hold.tool : undefined;
    if (asked) answerTool(c, d, asked);
    else if (d.kind === 'reject') transition(c, { type: 'deny', error: { kind: 'denied', message: d.reason, retriable: false } });
    else {
      transition(c, { type: 'allow' });
      if (d.kind === 'edit') { c.args = d.args; delete c.input; }
    }
  }
  for (const c of batch.calls) {
    if (c.state !== 'approved') continue;
    const tool = run.registry.get(c.name);
    if (!tool) transition(c, { type: 'fail', error: { kind: 'unknown_tool', message: unknownToolMessage(c.name, run.registry), retriable: true } });
    else await revalidate(c, tool);
  }
}

/** A tool's outcome when it paused itself, or ran again after one: paused with what it left; rejected and given no result, denied. */
export function settlePaused(call: CallRecord, out: ToolOutcome): void {
  const answer = call.resumed;
  delete call.resumed;
  if (out.pause) {
    const { reason, data, schema } = out.pause;
    if (typeof reason !== 'string' || !reason) {
      return transition(call, { type: 'finish', error: { kind: 'tool_error', message: 'ctx.pause(question): the question must be a non-empty string (the human reads it).', retriable: false }, durationMs: out.durationMs });
    }
    call.durationMs = out.durationMs;
    return transition(call, { type: 'pause', reason, tool: { ...(data !== undefined ? { data } : {}), ...(schema ? { schema } : {}) } });
  }
  if (answer?.kind === 'reject' && out.data === undefined && !out.error) {
    call.durationMs = out.durationMs;
    return transition(call, { type: 'deny', error: { kind: 'denied', message: answer.reason ?? 'rejected', retriable: false } });
  }
  transition(call, { type: 'finish', ...out });
}
