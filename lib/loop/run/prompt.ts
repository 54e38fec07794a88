// PROMPT: compact the conversation, add the notes and the prePrompt hooks' text, send it to the
// model. A reply with tool calls becomes the batch to dispatch; one without is answered with a
// nudge (or, too many in a row, ends the run); a failed model call ends the run.
import type { LLMResponse, LLMToolCall, Message, MessageToolCall } from '../../backends/types.ts';
import { errorMessage, LLMError } from '../../errors.ts';
import type { CallRecord, OutcomeError } from '../../shapes.ts';
import { safeJSON } from '../../util/json.ts';
import { rawArgs } from '../calls.ts';
import { nudgeText } from '../messages.ts';
import { addUsage } from '../usage.ts';
import { newCall } from './call.ts';
import type { Run } from './run.ts';

export async function prompt(run: Run): Promise<void> {
  const { env, state, hooks, events } = run;
  run.step = state.stepCount + 1;
  await hooks.compact('threshold');
  const injected = await hooks.prePrompt();
  if (state.notes.length > 0 || injected.length > 0) {
    const text = [...state.notes, ...injected].filter((t) => t.length > 0).join('\n\n');
    state.notes = [];
    if (text) state.messages.push({ role: 'user', content: text });
  }
  await events.prompt(state.messages, env.system);

  const t0 = performance.now();
  const response = await ask(run);
  if (!response) return; // failed (run.failure says how) or aborted
  const llmMs = performance.now() - t0;
  addUsage(state.usage, response.usage);
  if (events.on) await events.emit({ type: 'llm.response', step: run.step, response, durationMs: llmMs });

  const { calls, malformed } = callsOf(run, response);
  if (calls.length === 0) return noCall(run, response, malformed);
  state.noCallTurns = 0;
  const records = withIds(run, calls);
  state.messages.push(assistantMessage(response, records, !!env.json));
  state.batch = { llmMs, calls: records, ...(response.usage ? { usage: response.usage } : {}) };
}

/** The model's reply. On failure there is none, and `run.failure` says why (unless the run was aborted). */
async function ask(run: Run): Promise<LLMResponse | undefined> {
  const { env, state, events } = run;
  const json = !!env.json;
  const send = () => env.llm.generate(
    { messages: state.messages, tools: json ? [] : env.schemas, system: env.system, ...(json ? {} : { parallelToolCalls: env.config.parallelToolCalls }) },
    events.on ? { signal: env.signal, onDelta: events.delta } : { signal: env.signal },
  );
  try {
    let response: LLMResponse;
    try {
      response = await send();
    } catch (err) {
      // The prompt outgrew the model's window: compact once and try again, instead of ending the run.
      if (!(err instanceof LLMError && err.kind === 'context_length') || !(await run.hooks.compact('emergency'))) throw err;
      response = await send();
    }
    await checkReply(response);
    return response;
  } catch (err) {
    if (env.signal.aborted) return undefined;
    const error: OutcomeError = err instanceof LLMError
      ? { kind: err.kind, message: err.message, retriable: err.retriable }
      : { kind: 'llm_error', message: errorMessage(err), retriable: false };
    if (events.on) await events.emit({ type: 'error', step: run.step, source: 'llm', error });
    run.failure = { reason: 'llm_error', error };
    return undefined;
  }
}

/** A reply as the LLMBackend contract has it, or a `malformed` error that says what a (custom) backend got wrong. */
async function checkReply(response: LLMResponse): Promise<void> {
  const calls: unknown = response?.toolCalls;
  if (response && typeof response === 'object' && (calls == null || (Array.isArray(calls) && !calls.some((c) => !c || typeof c !== 'object' || Array.isArray(c))))) return;
  throw (await import('../contract.ts')).brokenReply(response);
}

/** The calls of the reply: native tool calls, or JSON found in its text (with why it is broken, if it is). */
function callsOf(run: Run, response: LLMResponse): { calls: readonly LLMToolCall[]; malformed?: string } {
  const { json } = run.env;
  if (!json) return { calls: Array.isArray(response.toolCalls) ? response.toolCalls : [] };
  const parsed = json.parseTextToolCalls(response.text ?? '');
  if (parsed.kind === 'calls') return { calls: parsed.calls.map((c) => ({ name: c.name, arguments: c.arguments })) };
  return parsed.kind === 'malformed' ? { calls: [], malformed: parsed.message } : { calls: [] };
}

/** A reply without a tool call: the model is nudged, and after too many in a row the run ends in error. */
async function noCall(run: Run, response: LLMResponse, malformed: string | undefined): Promise<void> {
  const { env, state } = run;
  state.messages.push(assistantMessage(response, [], !!env.json));
  state.noCallTurns++;
  if (state.noCallTurns < env.config.maxNoToolCallTurns) {
    state.notes.push(nudgeText(env.config.toolCallMode, malformed));
    return;
  }
  const error: OutcomeError = { kind: 'no_tool_call', message: `The model replied ${state.noCallTurns} times in a row without a tool call.`, retriable: false };
  if (run.events.on) await run.events.emit({ type: 'error', step: run.step, source: 'loop', error });
  run.failure = { reason: 'no_tool_call', error };
}

/** The reply's calls with ids: the backend's, or made up where it gave none (or repeated one). */
function withIds(run: Run, calls: readonly LLMToolCall[]): CallRecord[] {
  const { state } = run;
  const seen = calls.length > 1 ? new Set<string>() : undefined;
  return calls.map((c) => {
    let id = typeof c.id === 'string' && c.id.length > 0 ? c.id : `call_${++state.callSeq}`;
    if (seen) {
      while (seen.has(id)) id = `${id}_${++state.callSeq}`; // some servers repeat or omit ids
      seen.add(id);
    }
    return newCall(id, typeof c.name === 'string' ? c.name : '', rawArgs(c.arguments));
  });
}

function assistantMessage(response: LLMResponse, calls: readonly CallRecord[], json: boolean): Message {
  const content = response.text ?? '';
  const extra = response.providerData ? { providerData: response.providerData } : {};
  if (json || calls.length === 0) return { role: 'assistant', content, ...extra };
  const toolCalls: MessageToolCall[] = calls.map((c) => ({ id: c.id, name: c.name, arguments: typeof c.raw === 'string' ? c.raw : safeJSON(c.raw) }));
  return { role: 'assistant', content, toolCalls, ...extra };
}
