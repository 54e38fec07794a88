// Starting a run: its options checked, its environment and state (fresh, or from a checkpoint),
// its hook runner and emitter; then `run.start`, the preLoop hooks and a resume's decisions.
import type { BatchRecord, ResumeDecision } from '../../shapes.ts';
import { fingerprint } from '../checkpoint.ts';
import { runAbort } from '../run-tool.ts';
import type { LoopOptions } from '../types.ts';
import type { Misuse } from './misuse.ts';
import type { NamedHook } from './hook-call.ts';
import { isHistory, isTask, resolveConfig, withDone } from './options.ts';
import { assemble, type Run } from './run.ts';
import { stateFrom, type RunEnv } from './state.ts';

export async function startRun(options: LoopOptions): Promise<Run> {
  const { llm, history } = options;
  const wrong = async (what: Misuse, detail?: unknown) => (await import('./misuse.ts')).misuse(what, detail);
  if (!llm || typeof llm.generate !== 'function') throw await wrong('llm');
  if (options.resume === undefined && options.decisions) throw await wrong('decisions');
  if (history !== undefined && !isHistory(history)) throw await wrong('history');
  const registry = withDone(options.tools);
  if (!registry) throw await wrong('tools');
  // hooks are named (and checked) by the hook runner's module, loaded only for runs that have hooks
  const named = options.hooks?.length ? (await import('./hook-call.ts')).nameHooks(options.hooks) : [];
  const bad = named.indexOf(undefined);
  if (bad >= 0) throw await wrong('hook', bad);
  const hooks = named as NamedHook[];
  const schemas = registry.schemas();
  const toolsPrint = fingerprint(schemas);
  // Pausing and resuming load only for runs that do either.
  const pauses = options.resume === undefined ? undefined : await import('../pauses.ts');
  const cp = pauses?.openCheckpoint(options.resume, toolsPrint);
  const task = cp ? cp.task : options.task;
  if (!isTask(task)) throw await wrong('task');
  const config = resolveConfig(cp ? { ...cp.config, ...options.config } : options.config);
  if (typeof config === 'string') throw await wrong(config, options.config?.toolCallMode);
  const hookRunId = hooks.map((h) => h.hook.runId).find((id) => typeof id === 'string' && id);
  const runId: string = options.runId ?? hookRunId ?? cp?.runId ?? crypto.randomUUID();
  const { approvalSecret } = options;
  // A decision that answers nothing, or forged, is refused before anything is saved or run.
  if (cp) await pauses!.checkDecisions(cp, options.decisions ?? {}, { runId, approvalSecret });
  // Signing loads only for runs that sign; each checkpoint's open reply is sealed with the secret.
  const sign = approvalSecret ? await import('../sign.ts') : undefined;
  const seal = sign && ((batch: BatchRecord) => sign.sealBatch(approvalSecret!, runId, batch));
  // JSON-in-text support loads only for runs that use it: a native-tools agent does not ship it.
  const json = config.toolCallMode === 'json' ? await import('../json-mode.ts') : undefined;
  const system = json ? `${config.system}\n\n${json.jsonModeInstructions(schemas)}` : config.system;
  const { signal, release } = runSignal(options.signal);
  const env: RunEnv = { runId, llm, registry, schemas, toolsPrint, task, config, system, json, signal, release, abort: runAbort(signal), approvalSecret, seal, tags: options.trace };
  return await assemble(env, stateFrom(cp, task, options.state, history), hooks);
}

/** `run.start`, the preLoop hooks, and on resume the decisions for the checkpoint's pending calls. */
export async function beginRun(run: Run, resuming: boolean, decisions: Readonly<Record<string, ResumeDecision>> = {}): Promise<void> {
  const { env, state, events } = run;
  if (events.on) {
    const { maxSteps, toolCallMode, parallelToolCalls } = env.config;
    await events.emit({ type: 'run.start', step: 0, task: env.task, config: { maxSteps, toolCallMode, parallelToolCalls }, tools: env.schemas });
  }
  await run.hooks.preLoop();
  if (!resuming) return;
  await (await import('../pauses.ts')).applyDecisions(state.batch, decisions, env);
  if (events.on) await events.emit({ type: 'resume', step: state.stepCount, decisions: { ...decisions } });
}

/**
 * The run's own signal: tools and the backend get it. It follows the caller's, and `release`
 * (at teardown) aborts it, so a tool that outlived its timeout is told to stop.
 */
function runSignal(user: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  const ctrl = new AbortController();
  const onUserAbort = () => ctrl.abort(user?.reason);
  if (user?.aborted) ctrl.abort(user.reason);
  else user?.addEventListener('abort', onUserAbort, { once: true });
  return {
    signal: ctrl.signal,
    release: () => {
      user?.removeEventListener('abort', onUserAbort);
      if (!ctrl.signal.aborted) ctrl.abort(new DOMException('The run ended.', 'AbortError'));
    },
  };
}
