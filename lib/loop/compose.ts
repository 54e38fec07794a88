import type { LLMDelta, LLMResponse, LLMToolCall, Message, MessageToolCall, ToolSchema, Usage } from '../backends/types.ts';
import { errorMessage, LLMError, LoopletError, type OutcomeError, type ToolError } from '../errors.ts';
import { isDecision, type Decision } from '../hooks/decisions.ts';
import type { HookSlot, LoopEvent } from '../trace/events.ts';
import { TRACE_VERSION } from '../trace/events.ts';
import { AUTO_DONE_DESCRIPTION, DONE, doneTool } from '../tools/done.ts';
import { ToolRegistry } from '../tools/registry.ts';
import type { RegisteredTool, ValidationResult } from '../tools/types.ts';
import { callHook, HookFailure, hookError, nameHooks, type NamedHook } from './hooks.ts';
import { DEFAULT_SYSTEM, NOT_RUN, nudgeText, resultText, taskText } from './messages.ts';
import { runAbort, runTool, type ToolOutcome } from './run-tool.ts';
import { safeJSON, Step } from './step.ts';
import { CHECKPOINT_VERSION, fingerprint, type BatchState, type CallState, type Checkpoint } from './checkpoint.ts';
import { failCall, parseArgs, unknownToolMessage } from './calls.ts';
import type { Task, Hook, HookContext, LoopOptions, LoopOutcome, PendingCall, ResolvedConfig, ToolCall, ToolResult } from './types.ts';
import { addUsage, zeroUsage } from './usage.ts';

type Item = CallState;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Runs an agent: prompt the model, dispatch its tool calls, repeat until `done`, a stop or the
 * budget. Every tool call is yielded as a `Step`; the generator returns the `LoopOutcome`.
 */
export async function* composableLoop(options: LoopOptions): AsyncGenerator<Step, LoopOutcome, undefined> {
  const { llm } = options;
  if (!llm || typeof llm.generate !== 'function') throw new LoopletError('composableLoop: `llm` must have a generate(request, { signal }) method.');
  if (options.resume === undefined && options.decisions) throw new LoopletError('composableLoop: `decisions` answer the pending calls of a checkpoint: pass it as `resume`.');
  const registry = withDone(options.tools);
  const hooks = nameHooks(options.hooks ?? []);
  const schemas: readonly ToolSchema[] = registry.schemas();
  const toolsPrint = fingerprint(schemas);
  // Pausing and resuming load only for runs that do either.
  let pauses: typeof import('./pauses.ts') | undefined;
  const pausing = async () => (pauses ??= await import('./pauses.ts'));
  const cp = options.resume === undefined ? undefined : (await pausing()).openCheckpoint(options.resume, toolsPrint, options.decisions);
  const task = checkTask(cp ? cp.task : options.task);
  const config = resolveConfig(cp ? { ...cp.config, ...options.config } : options.config);
  // Per-slot lists, so a slot no hook uses costs nothing per step.
  const having = (m: keyof Hook) => hooks.filter((h) => typeof h.hook[m] === 'function');
  const listeners = having('onEvent');
  const prePrompts = having('prePrompt'), preDispatches = having('preDispatch'), postDispatches = having('postDispatch');
  const doneChecks = having('checkDone'), stopChecks = having('shouldStop'), savers = having('onCheckpoint'), compacters = having('compact');
  const L = listeners.length > 0;

  // The run's own controller: tools and the backend get its signal, and teardown aborts it
  // so a tool that outlived its timeout is told to stop.
  const ctrl = new AbortController();
  const userSignal = options.signal;
  const onUserAbort = () => ctrl.abort(userSignal?.reason);
  if (userSignal?.aborted) ctrl.abort(userSignal.reason);
  else userSignal?.addEventListener('abort', onUserAbort, { once: true });
  const signal = ctrl.signal;
  const abort = runAbort(signal);

  const hookRunId = hooks.map((h) => h.hook.runId).find((id) => typeof id === 'string' && id);
  const runId: string = options.runId ?? hookRunId ?? cp?.runId ?? crypto.randomUUID();
  const json = config.toolCallMode === 'json';
  // JSON-in-text support loads only for runs that use it: a native-tools agent does not ship it.
  const jsonMode = json ? await import('./json-mode.ts') : undefined;
  const system = jsonMode ? `${config.system}\n\n${jsonMode.jsonModeInstructions(schemas)}` : config.system;
  const usage: Usage = cp ? { ...cp.usage } : zeroUsage();
  let messages: Message[] = cp ? [...cp.messages] : [{ role: 'user', content: taskText(task) }];
  let batch: BatchState | undefined = cp?.batch ? { ...cp.batch, calls: cp.batch.calls.map((c) => ({ ...c })) } : undefined;
  const ctx: Mutable<HookContext> = {
    runId, step: 1, stepCount: cp?.stepCount ?? 0, task, state: options.state ?? cp?.state ?? {}, config, messages, system, tools: schemas, signal,
    checkpoint: () => snapshot('running'),
    tool: (name) => registry.get(name),
    emit: async (type, fields) => { if (L) await emit({ ...base(), type, step: ctx.step, ...fields } as LoopEvent); },
  };

  let outcome: LoopOutcome | undefined;
  let rethrow: { error: unknown } | undefined;
  let callSeq = cp?.callSeq ?? 0;
  let noCallTurns = cp?.noCallTurns ?? 0;
  let notes: string[] = cp ? [...cp.notes] : [];
  const injected: string[] = [];
  // For `prompt` events: what the previous one covered.
  let sentArray: Message[] | undefined;
  let sentLength = 0;
  let sentSystem: string | undefined;

  const base = () => ({ v: TRACE_VERSION, runId: runId as string, ts: Date.now() });

  // Sync listeners cost no promise: emit only returns one when a listener did.
  const deliver = (h: NamedHook, event: LoopEvent): void | Promise<void> => {
    const r = callHook(() => h.hook.onEvent!(event));
    const check = (v: unknown): void | Promise<void> => {
      if (!(v instanceof HookFailure) || event.type === 'error') return;
      if (config.hookErrors === 'throw') throw v.error;
      return emit({ ...base(), type: 'error', step: ctx.step, ...hookError(h.name, 'onEvent', v.error) });
    };
    return r instanceof Promise ? r.then(check) : check(r);
  };
  const emit = (event: LoopEvent): void | Promise<void> => {
    let chain: Promise<void> | undefined;
    for (const h of listeners) {
      if (chain) chain = chain.then(() => deliver(h, event));
      else {
        const p = deliver(h, event);
        if (p) chain = p;
      }
    }
    return chain;
  };

  // Deltas arrive in a backend's callback, which cannot wait: listeners get them at once,
  // and a listener's failure is recorded like any other.
  const onDelta = (d: LLMDelta): void => {
    const event: LoopEvent = { ...base(), type: 'llm.delta', step: ctx.step, ...d };
    for (const h of listeners) {
      const r = callHook(() => h.hook.onEvent!(event));
      const report = (v: unknown) => {
        if (v instanceof HookFailure && config.hookErrors !== 'throw') void emit({ ...base(), type: 'error', step: ctx.step, ...hookError(h.name, 'onEvent', v.error) });
      };
      if (r instanceof Promise) void r.then(report); else report(r);
    }
  };

  /** Records a failing hook (an `error` event), or rethrows it when the config says so. */
  const failed = async (h: NamedHook, slot: HookSlot, f: HookFailure): Promise<void> => {
    if (config.hookErrors === 'throw') throw f.error;
    if (L) await emit({ ...base(), type: 'error', step: ctx.step, ...hookError(h.name, slot, f.error) });
  };

  const decided = async (h: NamedHook, slot: HookSlot, decision: Decision, callId?: string) => {
    if (L) await emit({ ...base(), type: 'decision', step: ctx.step, hook: h.name, slot, decision, ...(callId ? { callId } : {}) });
  };

  const finish = (status: LoopOutcome['status'], reason: string, extra: Partial<Mutable<LoopOutcome>> = {}): void => {
    outcome ??= { status, runId, reason, steps: ctx.stepCount, usage, ...extra };
  };

  function snapshot(status: Checkpoint['status'], extra: { pending?: readonly PendingCall[]; answer?: unknown } = {}): Checkpoint {
    return {
      v: CHECKPOINT_VERSION, runId, savedAt: Date.now(), status, task, config, tools: toolsPrint,
      state: ctx.state, stepCount: ctx.stepCount, usage: { ...usage }, callSeq, noCallTurns, notes: [...notes],
      messages: messages.slice(),
      ...(batch ? { batch: { ...batch, calls: batch.calls.map((c) => ({ ...c })) } } : {}),
      ...extra,
    };
  }

  /** A save point: every onCheckpoint hook gets a fresh checkpoint, and the loop waits for it. */
  const save = async (status: Checkpoint['status'] = 'running', extra?: Parameters<typeof snapshot>[1]): Promise<void> => {
    if (savers.length === 0) return;
    const cpNow = snapshot(status, extra);
    for (const h of savers) {
      const r = callHook(() => h.hook.onCheckpoint!(cpNow, ctx));
      const v = r instanceof Promise ? await r : r;
      if (v instanceof HookFailure) await failed(h, 'onCheckpoint', v);
    }
  };

  try {
    if (L) {
      await emit({
        ...base(), type: 'run.start', step: 0, task,
        config: { maxSteps: config.maxSteps, toolCallMode: config.toolCallMode, parallelToolCalls: config.parallelToolCalls },
        tools: schemas,
      });
    }
    for (const h of hooks) {
      if (!h.hook.preLoop) continue;
      const r = callHook(() => h.hook.preLoop!(ctx));
      const v = r instanceof Promise ? await r : r;
      if (v instanceof HookFailure) await failed(h, 'preLoop', v);
    }

    if (cp) {
      await (await pausing()).applyDecisions(batch, options.decisions ?? {}, { secret: options.approvalSecret, runId, registry, validate: validateInto });
      if (L) await emit({ ...base(), type: 'resume', step: ctx.stepCount, decisions: { ...(options.decisions ?? {}) } });
    }

    while (!outcome) {
      if (!batch) {
        if (signal.aborted) { finish('aborted', abortReason(signal)); break; }
        if (ctx.stepCount >= config.maxSteps) { finish('max_steps', 'max_steps'); break; }
        ctx.step = ctx.stepCount + 1;

        // ── PROMPT ───────────────────────────────────────────────────────────
        if (compacters.length > 0) await compactNow('threshold');
        injected.length = 0;
        for (const h of prePrompts) {
          const r = callHook(() => h.hook.prePrompt!(ctx, messages));
          const v = r instanceof Promise ? await r : r;
          if (v instanceof HookFailure) { await failed(h, 'prePrompt', v); continue; }
          if (v == null) continue;
          if (typeof v === 'string') { injected.push(v); continue; }
          if (Array.isArray(v)) { messages = [...(v as readonly Message[])]; ctx.messages = messages; continue; }
          if (isDecision(v) && v.kind === 'inject') { injected.push(v.text); await decided(h, 'prePrompt', v); continue; }
          await failed(h, 'prePrompt', new HookFailure(new TypeError(`prePrompt returned ${safeJSON(v).slice(0, 80)}; expected text, inject() or a message list`)));
        }
        if (notes.length > 0 || injected.length > 0) {
          const text = [...notes, ...injected].filter((t) => t.length > 0).join('\n\n');
          notes = [];
          if (text) messages.push({ role: 'user', content: text });
        }

        if (L) {
          const whole = messages !== sentArray;
          const offset = whole ? 0 : sentLength;
          await emit({
            ...base(), type: 'prompt', step: ctx.step, offset, messages: messages.slice(offset),
            ...(system !== sentSystem ? { system } : {}),
          });
        }
        sentArray = messages;
        sentLength = messages.length;
        sentSystem = system;

        const t0 = performance.now();
        let response: LLMResponse;
        const ask = () => llm.generate(
          { messages, tools: json ? [] : schemas, system, ...(json ? {} : { parallelToolCalls: config.parallelToolCalls }) },
          L ? { signal, onDelta } : { signal },
        );
        try {
          try {
            response = await ask();
          } catch (err) {
            // The prompt outgrew the model's window: compact once and try again, instead of ending the run.
            if (!(err instanceof LLMError && err.kind === 'context_length') || compacters.length === 0 || !(await compactNow('emergency'))) throw err;
            response = await ask();
          }
          if (!response || typeof response !== 'object') throw new LLMError('malformed', `The backend returned ${safeJSON(response)} instead of a response object.`);
        } catch (err) {
          if (signal.aborted) { finish('aborted', abortReason(signal)); break; }
          const error: OutcomeError = err instanceof LLMError
            ? { kind: err.kind, message: err.message, retriable: err.retriable }
            : { kind: 'llm_error', message: errorMessage(err), retriable: false };
          if (L) await emit({ ...base(), type: 'error', step: ctx.step, source: 'llm', error });
          finish('error', 'llm_error', { error });
          break;
        }
        const llmMs = performance.now() - t0;
        addUsage(usage, response.usage);
        if (L) await emit({ ...base(), type: 'llm.response', step: ctx.step, response, durationMs: llmMs });

        // Which calls did the model make?
        let calls: LLMToolCall[] = [];
        let malformed: string | undefined;
        if (json) {
          const parsed = jsonMode!.parseTextToolCalls(response.text ?? '');
          if (parsed.kind === 'calls') calls = parsed.calls.map((c) => ({ name: c.name, arguments: c.arguments }));
          else if (parsed.kind === 'malformed') malformed = parsed.message;
        } else if (Array.isArray(response.toolCalls)) {
          calls = response.toolCalls;
        }

        if (calls.length === 0) {
          messages.push(assistantMessage(response, [], json));
          noCallTurns++;
          if (noCallTurns >= config.maxNoToolCallTurns) {
            const error: OutcomeError = {
              kind: 'no_tool_call',
              message: `The model replied ${noCallTurns} times in a row without a tool call.`,
              retriable: false,
            };
            if (L) await emit({ ...base(), type: 'error', step: ctx.step, source: 'loop', error });
            finish('error', 'no_tool_call', { error });
            break;
          }
          notes.push(nudgeText(config.toolCallMode, malformed));
          continue;
        }
        noCallTurns = 0;

        const seen = calls.length > 1 ? new Set<string>() : undefined;
        const items: Item[] = calls.map((c) => {
          let id = typeof c.id === 'string' && c.id.length > 0 ? c.id : `call_${++callSeq}`;
          if (seen) {
            while (seen.has(id)) id = `${id}_${++callSeq}`; // some servers repeat or omit ids
            seen.add(id);
          }
          return { id, name: typeof c.name === 'string' ? c.name : '', raw: c.arguments ?? {}, index: 0, args: {}, phase: 'new', status: 'ok', durationMs: 0 };
        });
        messages.push(assistantMessage(response, items, json));
        batch = { llmMs, calls: items, ...(response.usage ? { usage: response.usage } : {}) };
      }
      const b = batch;
      const items = b.calls;

      // A resumed run whose paused calls got no decision pauses again, without a model call.
      if (items.some((it) => it.phase === 'paused')) { await pauseRun(items); break; }

      // ── DISPATCH, phase A: parse, validate and ask preDispatch, in reply order ──
      let endTurn: 'done' | 'stop' | 'pause' | undefined = b.stop !== undefined ? 'stop' : undefined;
      let stopReason: string | undefined = b.stop;
      let planned = items.filter((it) => it.index > 0 && !it.recorded).length;
      for (const it of items) {
        const fresh = it.phase === 'new';
        if (!fresh && !(it.decided && it.index === 0)) continue;
        if (endTurn) {
          it.phase = 'skip';
          it.note = endTurn === 'done' ? NOT_RUN.afterDone : endTurn === 'stop' ? NOT_RUN.stopped : NOT_RUN.paused;
          if (endTurn === 'pause') { const p = parseArgs(it.raw); if ('args' in p) it.args = p.args; } // pending calls show their arguments
          continue;
        }
        if (!config.parallelToolCalls && planned > 0) { it.phase = 'skip'; it.note = NOT_RUN.oneAtATime; continue; }
        if (ctx.stepCount + planned >= config.maxSteps) { it.phase = 'skip'; it.note = NOT_RUN.budget(config.maxSteps); continue; }
        if (it.index === 0) it.index = ctx.stepCount + ++planned; // a resumed call keeps its index
        ctx.step = it.index;
        if (L) await emit({ ...base(), type: 'tool.call', step: it.index, call: { id: it.id, name: it.name, arguments: it.raw } });
        if (!fresh) continue; // a human already decided this call

        const parsed = parseArgs(it.raw);
        if ('error' in parsed) { failCall(it, parsed.kind, parsed.error, true); continue; }
        it.args = parsed.args;
        const tool = registry.get(it.name);
        if (!tool) { failCall(it, 'unknown_tool', unknownToolMessage(it.name, registry), true); continue; }
        const valid = validateInto(it, tool);
        if (!(valid === true || (valid !== false && (await valid)))) continue;

        if (it.name === DONE) { it.phase = 'done'; endTurn = 'done'; continue; }

        it.phase = 'run';
        for (const h of preDispatches) {
          const call: ToolCall = { id: it.id, name: it.name, args: it.args };
          const r = callHook(() => h.hook.preDispatch!(ctx, call));
          const v = r instanceof Promise ? await r : r;
          if (v instanceof HookFailure) {
            // Fail closed: a permission hook that crashes must not let the call through.
            await failed(h, 'preDispatch', v);
            failCall(it, 'hook_error', `The call was not run: hook ${h.name} failed (${errorMessage(v.error)}).`, false);
            break;
          }
          if (v == null) continue;
          if (!isDecision(v)) {
            await failed(h, 'preDispatch', new HookFailure(new TypeError(`preDispatch returned ${safeJSON(v).slice(0, 80)}; expected a decision`)));
            failCall(it, 'hook_error', `The call was not run: hook ${h.name} returned an invalid decision.`, false);
            break;
          }
          await decided(h, 'preDispatch', v, it.id);
          if (v.kind === 'allow') break;
          if (v.kind === 'deny') { it.phase = 'result'; it.status = 'denied'; it.error = { kind: 'denied', message: v.reason, retriable: v.retry }; break; }
          if (v.kind === 'respond') { it.phase = 'result'; it.data = v.result; break; }
          if (v.kind === 'rewrite') { it.args = v.args; await validateInto(it, tool); break; }
          if (v.kind === 'stop') {
            it.phase = 'result'; it.status = 'denied'; it.error = { kind: 'denied', message: `Stopped: ${v.reason}`, retriable: false };
            endTurn = 'stop'; stopReason = v.reason; b.stop = v.reason; break;
          }
          if (v.kind === 'pause') {
            it.phase = 'paused'; it.status = 'paused'; it.note = v.reason; it.error = { kind: 'denied', message: v.reason, retriable: true };
            endTurn = 'pause'; stopReason = v.reason; break;
          }
        }
      }

      // ── phase B: run the tools (concurrently when parallel calls are on) ──
      const toRun = items.filter((it) => it.phase === 'run');
      if (toRun.length > 0) {
        for (const it of toRun) it.running = true;
        await save(); // the calls are marked running: after a crash they are not run again blindly
        const finished = async (it: Item, out: ToolOutcome) => {
          settle(it, out);
          it.phase = 'result';
          it.running = false;
          await save();
        };
        if (toRun.length > 1 && config.parallelToolCalls) {
          await Promise.all(toRun.map(async (it) => finished(it, await execute(it))));
        } else {
          for (const it of toRun) {
            const out = execute(it);
            await finished(it, out instanceof Promise ? await out : out);
          }
        }
      }

      // ── phase C: done check, postDispatch, record, yield — in reply order ──
      for (const it of items) {
        if (it.recorded) continue;
        if (it.phase === 'skip') {
          // Calls left pending by a pause get their answer on resume; the others are answered now.
          if (it.note !== NOT_RUN.paused) { answer(it, it.note!); it.recorded = true; }
          continue;
        }
        if (it.phase === 'paused' && it.shown) continue; // its paused record was yielded already
        ctx.step = it.index;
        const call: ToolCall = { id: it.id, name: it.name, args: it.args };
        let accepted = false;
        if (it.phase === 'done') {
          const refusal = await askCheckDone(call);
          if (refusal !== undefined) {
            it.status = 'denied'; it.error = { kind: 'done_rejected', message: refusal, retriable: true };
          } else {
            const out = execute(it);
            accepted = settle(it, out instanceof Promise ? await out : out);
          }
        }
        const paused = it.phase === 'paused';
        if (!paused && postDispatches.length > 0) {
          let result: ToolResult = resultOf(it);
          for (const h of postDispatches) {
            const r = callHook(() => h.hook.postDispatch!(ctx, call, result));
            const v = r instanceof Promise ? await r : r;
            if (v instanceof HookFailure) { await failed(h, 'postDispatch', v); continue; }
            if (v == null) continue;
            if (typeof v === 'string') { notes.push(v); continue; }
            if (!isDecision(v)) continue;
            await decided(h, 'postDispatch', v, it.id);
            if (v.kind === 'inject') notes.push(v.text);
            else if (v.kind === 'respond') {
              it.data = v.result;
              if (it.status === 'error') { it.error = undefined; it.status = 'ok'; }
              result = resultOf(it);
            } else if (v.kind === 'stop') { endTurn ??= 'stop'; stopReason ??= v.reason; b.stop ??= v.reason; }
          }
        }
        const first = !paused && !b.usageGiven;
        const step = new Step({
          index: it.index,
          status: it.status,
          toolCall: { id: it.id, name: it.name, args: deepFreeze(paused ? { ...it.args } : it.args) },
          toolResult: resultOf(it),
          ...(first && b.usage ? { usage: b.usage } : {}),
          timing: { llmMs: first ? b.llmMs : 0, toolMs: it.durationMs },
        });
        if (paused) {
          it.shown = true; // a paused call is not a step until decided
        } else {
          b.usageGiven = true;
          if (json) (b.jsonResults ??= []).push(`Result of ${it.name} (${it.id}):\n${resultText(it.data, it.error)}`);
          else answer(it, resultText(it.data, it.error));
          it.recorded = true;
          ctx.stepCount = Math.max(ctx.stepCount, it.index);
        }
        if (L) {
          if (!paused) await emit({ ...base(), type: 'tool.result', step: it.index, callId: it.id, name: it.name, ...resultOf(it) });
          await emit({ ...base(), type: 'step', step: it.index, record: step.toJSON() });
        }
        if (accepted) finish('done', 'done', { answer: it.args.answer });
        if (items.every((c) => c.recorded)) closeBatch();
        if (!paused) await save(accepted ? 'done' : 'running', accepted ? { answer: it.args.answer } : undefined);
        yield step;
        if (outcome || paused) continue; // done: nothing left to stop

        for (const h of stopChecks) {
          const r = callHook(() => h.hook.shouldStop!(ctx, step));
          const v = r instanceof Promise ? await r : r;
          if (v instanceof HookFailure) { await failed(h, 'shouldStop', v); continue; }
          if (v === true) { endTurn ??= 'stop'; stopReason ??= 'hook_stop'; break; }
          if (isDecision(v) && v.kind === 'stop') { await decided(h, 'shouldStop', v); endTurn ??= 'stop'; stopReason ??= v.reason; break; }
        }
      }
      if (batch && items.every((c) => c.recorded)) closeBatch();

      if (outcome) break;
      if (endTurn === 'pause') { await pauseRun(items); break; }
      if (endTurn === 'stop') { finish('stopped', stopReason ?? 'hook_stop'); break; }
      if (signal.aborted) { finish('aborted', abortReason(signal)); break; }
    }
  } catch (error) {
    if (config.hookErrors === 'throw' || error instanceof LoopletError) rethrow = { error };
    const err: OutcomeError = { kind: 'internal', message: errorMessage(error), retriable: false };
    finish('error', 'internal', { error: err });
  } finally {
    userSignal?.removeEventListener('abort', onUserAbort);
    // A caller that breaks out of `for await` (or calls return()) lands here with no outcome.
    finish('stopped', 'caller_stopped');
    if (outcome!.status !== 'done') {
      const last = snapshot(outcome!.status, outcome!.pending ? { pending: outcome!.pending } : {});
      outcome = { ...outcome!, checkpoint: last };
    }
    try {
      await save(outcome!.status, { ...(outcome!.pending ? { pending: outcome!.pending } : {}), ...(outcome!.status === 'done' ? { answer: outcome!.answer } : {}) });
    } catch (error) {
      rethrow ??= { error };
    }
    const final = outcome!;
    for (const h of hooks) {
      if (!h.hook.onLoopEnd) continue;
      const r = callHook(() => h.hook.onLoopEnd!(ctx, final));
      const v = r instanceof Promise ? await r : r;
      if (v instanceof HookFailure && config.hookErrors !== 'throw' && L) {
        await emit({ ...base(), type: 'error', step: ctx.stepCount, ...hookError(h.name, 'onLoopEnd', v.error) });
      }
    }
    if (L) {
      try {
        await emit({ ...base(), type: 'run.end', step: ctx.stepCount, outcome: final, usage: final.usage });
      } catch (error) {
        rethrow ??= { error };
      }
    }
    if (!ctrl.signal.aborted) ctrl.abort(new DOMException('The run ended.', 'AbortError'));
  }
  if (rethrow) throw rethrow.error;
  return outcome!;

  // ── helpers that close over the run ──

  /** The tool gets its own copy of the arguments, so the recorded step keeps what was called. */
  function execute(it: Item) {
    const tool = registry.get(it.name)!;
    return runTool(tool, copyArgs(it.args), { runId, step: it.index, callId: it.id, state: ctx.state }, abort, tool.timeoutMs ?? config.toolTimeoutMs);
  }

  /** Asks the compact hooks; a result replaces the conversation (the next prompt event carries it whole). */
  async function compactNow(reason: 'threshold' | 'emergency'): Promise<boolean> {
    let changed = false;
    for (const h of compacters) {
      const r = callHook(() => h.hook.compact!(ctx, messages, reason));
      const v = r instanceof Promise ? await r : r;
      if (v instanceof HookFailure) { await failed(h, 'compact', v); continue; }
      if (!v || !Array.isArray(v.messages)) continue;
      messages = [...v.messages];
      ctx.messages = messages;
      changed = true;
      if (L) {
        await emit({
          ...base(), type: 'compact', step: ctx.step, strategy: v.strategy, reason,
          tokensBefore: v.tokensBefore, tokensAfter: v.tokensAfter, removedMessages: v.removedMessages,
        });
      }
    }
    return changed;
  }

  function closeBatch(): void {
    if (batch?.jsonResults?.length) messages.push({ role: 'user', content: batch.jsonResults.join('\n\n') });
    batch = undefined;
  }

  async function pauseRun(items: readonly Item[]): Promise<void> {
    const pending = await (await pausing()).pendingOf(items, options.approvalSecret, runId);
    const reason = pending[0]?.reason ?? 'paused';
    if (L) await emit({ ...base(), type: 'pause', step: ctx.step, pending });
    finish('paused', reason, { pending });
  }

  /** Validates `it.args` against the tool; on failure the item becomes an error step. Sync when the validator is. */
  function validateInto(it: Item, tool: RegisteredTool): boolean | Promise<boolean> {
    const settle = (res: ValidationResult): boolean => {
      if (res.ok) { it.args = res.value; return true; }
      const list = res.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      failCall(it, 'invalid_args', `Invalid arguments for ${tool.name}: ${list}. You sent: ${safeJSON(it.args).slice(0, 300)}`, true);
      return false;
    };
    const broken = (err: unknown): boolean => {
      failCall(it, 'invalid_args', `Invalid arguments for ${tool.name}: ${errorMessage(err)}`, true);
      return false;
    };
    try {
      const r = tool.validate(it.args);
      return r instanceof Promise ? r.then(settle, broken) : settle(r);
    } catch (err) {
      return broken(err);
    }
  }

  /** The first rejection wins; a crashing checkDone hook never keeps an agent from stopping. */
  async function askCheckDone(call: ToolCall): Promise<string | undefined> {
    for (const h of doneChecks) {
      const r = callHook(() => h.hook.checkDone!(ctx, call));
      const v = r instanceof Promise ? await r : r;
      if (v instanceof HookFailure) { await failed(h, 'checkDone', v); continue; }
      if (v == null) continue;
      if (typeof v === 'string') { await decided(h, 'checkDone', { kind: 'deny', reason: v, retry: true }, call.id); return v; }
      if (isDecision(v) && v.kind === 'deny') { await decided(h, 'checkDone', v, call.id); return v.reason; }
      if (isDecision(v) && v.kind === 'allow') return undefined;
    }
    return undefined;
  }

  function answer(it: Item, content: string): void {
    if (json) return; // JSON-in-text mode answers all calls in one user message
    messages.push({ role: 'tool', content, toolCallId: it.id, name: it.name });
  }
}

/** Records a tool's outcome on its item; true when it produced data. */
function settle(it: Item, out: ToolOutcome): boolean {
  it.durationMs = out.durationMs;
  if (out.error) { it.error = out.error; it.status = 'error'; return false; }
  it.data = out.data;
  return true;
}

function resultOf(it: Item): ToolResult {
  const r: { data?: unknown; error?: ToolError; durationMs: number } = { durationMs: it.durationMs };
  if (it.data !== undefined) r.data = it.data;
  if (it.error) r.error = it.error;
  return r;
}

function assistantMessage(response: LLMResponse, items: readonly Item[], json: boolean): Message {
  const content = response.text ?? '';
  const extra = response.providerData ? { providerData: response.providerData } : {};
  if (json || items.length === 0) return { role: 'assistant', content, ...extra };
  const toolCalls: MessageToolCall[] = items.map((it) => ({
    id: it.id,
    name: it.name,
    arguments: typeof it.raw === 'string' ? it.raw : safeJSON(it.raw),
  }));
  return { role: 'assistant', content, toolCalls, ...extra };
}

function resolveConfig(c: LoopOptions['config'] = {}): ResolvedConfig {
  const maxSteps = c.maxSteps ?? 25;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new LoopletError('config.maxSteps must be a positive integer.');
  const maxNoToolCallTurns = c.maxNoToolCallTurns ?? 3;
  if (!Number.isInteger(maxNoToolCallTurns) || maxNoToolCallTurns < 1) throw new LoopletError('config.maxNoToolCallTurns must be a positive integer.');
  if (c.toolTimeoutMs !== undefined && !(c.toolTimeoutMs > 0)) throw new LoopletError('config.toolTimeoutMs must be a positive number.');
  const mode = c.toolCallMode ?? 'native';
  if (mode !== 'native' && mode !== 'json') throw new LoopletError(`config.toolCallMode must be 'native' or 'json', got ${JSON.stringify(mode)}.`);
  return Object.freeze({
    maxSteps,
    system: c.system ?? DEFAULT_SYSTEM,
    toolCallMode: mode,
    parallelToolCalls: c.parallelToolCalls ?? true,
    maxNoToolCallTurns,
    hookErrors: c.hookErrors ?? 'record',
    ...(c.toolTimeoutMs !== undefined ? { toolTimeoutMs: c.toolTimeoutMs } : {}),
  });
}

/** The run's tools: the user's, plus `done` when they did not register one. The user's registry is not changed. */
function withDone(tools: LoopOptions['tools']): ToolRegistry {
  let reg: ToolRegistry;
  if (tools instanceof ToolRegistry) {
    if (tools.has(DONE)) return tools;
    reg = tools.clone();
  } else if (Array.isArray(tools)) {
    reg = new ToolRegistry();
    for (const t of tools) reg.register(t);
  } else {
    throw new LoopletError('composableLoop: `tools` must be a ToolRegistry or an array of tool specs.');
  }
  if (!reg.has(DONE)) reg.register(doneTool(AUTO_DONE_DESCRIPTION));
  return reg;
}

function checkTask(task: Task | undefined): Task {
  if (typeof task === 'string' && task.length > 0) return task;
  if (task && typeof task === 'object' && typeof task.goal === 'string') return task;
  throw new LoopletError('composableLoop: `task` must be a non-empty string or an object with a string `goal`.');
}

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error && r.message ? `aborted: ${r.message}` : 'aborted';
}

function copyArgs(args: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(args);
  } catch {
    return { ...args }; // e.g. a schema transform produced a function
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
