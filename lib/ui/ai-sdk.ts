// A run as the AI SDK's UI message stream (protocol v1), the stream `useChat` reads, and the way
// back: the approvals a `useChat` user gave, as looplet decisions.
import type { LoopOutcome, ResumeDecision } from '../loop/types.ts';
import { sseResponse, streamRun, type StartRun, type Translator } from '../trace/stream.ts';
import { errorText } from './drive.ts';
import { readRun } from './read-run.ts';

type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

/** The chunks of the AI SDK UI message stream that a looplet run produces. */
export type UIMessageChunk =
  | { type: 'start'; messageId?: string; messageMetadata?: unknown }
  | { type: 'start-step' }
  | { type: 'finish-step' }
  | { type: 'text-start' | 'text-end' | 'reasoning-start' | 'reasoning-end'; id: string }
  | { type: 'text-delta' | 'reasoning-delta'; id: string; delta: string }
  | { type: 'tool-input-start'; toolCallId: string; toolName: string; dynamic?: boolean }
  | { type: 'tool-input-delta'; toolCallId: string; inputTextDelta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown; dynamic?: boolean }
  | { type: 'tool-output-available'; toolCallId: string; output: unknown; dynamic?: boolean }
  | { type: 'tool-output-error'; toolCallId: string; errorText: string; dynamic?: boolean }
  | { type: 'tool-output-denied'; toolCallId: string }
  | { type: 'tool-approval-request'; approvalId: string; toolCallId: string; signature?: string; approvalDescriptor?: ApprovalDescriptor }
  | { type: 'error'; errorText: string }
  | { type: 'finish'; finishReason?: FinishReason; messageMetadata?: unknown };

/** What a paused call's approval request tells the UI: why it waits, and (a tool's own pause) its data and answer schema. */
export interface ApprovalDescriptor {
  readonly reason: string;
  readonly data?: unknown;
  readonly schema?: Readonly<Record<string, unknown>>;
}

export interface UIStreamOptions {
  /** Send tools as `dynamic-tool` parts (tools the client has no types for) instead of `tool-<name>` parts. Default false. */
  dynamicTools?: boolean;
  /** The assistant message's metadata, sent with `finish`. Default `{ looplet: { runId, status, steps, usage, reason } }`; `false`: none. */
  messageMetadata?: false | ((outcome: LoopOutcome) => unknown);
}

const FINISH: Record<LoopOutcome['status'], FinishReason> = { done: 'stop', paused: 'tool-calls', max_steps: 'length', error: 'error', stopped: 'other', aborted: 'other' };

/**
 * The run's events as UI message chunks: a `start` (the message id is the run id, so a resumed
 * run continues the same message), a `start-step` per model call, text and reasoning as they
 * stream, each tool call's input, output, error or denial, an approval request per paused call
 * (with its signature), and `finish`. `done`'s answer is the message's last text.
 */
export function toUIMessageStream(start: StartRun, options: UIStreamOptions = {}): ReadableStream<UIMessageChunk> {
  return streamRun(start, uiTranslator(options));
}

/**
 * `toUIMessageStream` as a Server-Sent Events response (`data:` JSON chunks, then `[DONE]`), what
 * `DefaultChatTransport` reads. Takes a run's `start`, or a chunk stream already made (one you tee'd).
 */
export function uiMessageStreamResponse(start: StartRun | ReadableStream<UIMessageChunk>, init: ResponseInit & UIStreamOptions = {}): Response {
  const chunks = start instanceof ReadableStream ? start : toUIMessageStream(start, init);
  return sseResponse(chunks, init, { headers: { 'x-vercel-ai-ui-message-stream': 'v1' }, last: 'data: [DONE]\n\n' });
}

function uiTranslator(options: UIStreamOptions): Translator<UIMessageChunk> {
  const dyn = options.dynamicTools ? { dynamic: true as const } : {};
  let started = false, seq = 0;
  let push: (c: UIMessageChunk) => void = () => {};
  const reader = readRun({
    stepStart: () => push({ type: 'start-step' }),
    stepEnd: () => push({ type: 'finish-step' }),
    open(kind) {
      const id = `${kind === 'text' ? 't' : 'r'}${++seq}`;
      push({ type: `${kind}-start`, id });
      return id;
    },
    delta: (kind, id, delta) => push({ type: `${kind}-delta`, id, delta }),
    close: (kind, id) => push({ type: `${kind}-end`, id }),
    callStart: (toolCallId, toolName) => push({ type: 'tool-input-start', toolCallId, toolName, ...dyn }),
    callArgs: (toolCallId, inputTextDelta) => push({ type: 'tool-input-delta', toolCallId, inputTextDelta }),
    callReady: (toolCallId, toolName, input) => push({ type: 'tool-input-available', toolCallId, toolName, input, ...dyn }),
    result({ status, toolCall: { id: toolCallId }, toolResult: r }) {
      if (status === 'ok') push({ type: 'tool-output-available', toolCallId, output: r.data ?? null, ...dyn });
      else if (status === 'denied' || r.error?.kind === 'denied') push({ type: 'tool-output-denied', toolCallId });
      else push({ type: 'tool-output-error', toolCallId, errorText: r.error?.message ?? 'The tool call failed.', ...dyn });
    },
  });

  return {
    event(e, p) {
      push = p;
      if (e.parentRunId) return; // a subagent's events: its parent's tool call stands for it
      // the message id is the run id, so a resumed run continues the same message
      if (e.type === 'run.start' && !started) push({ type: 'start', messageId: e.runId });
      started = true;
      reader.read(e);
    },
    end({ outcome, error }, p) {
      push = p;
      for (const pending of outcome?.status === 'paused' ? outcome.pending ?? [] : []) {
        reader.ready(pending.call.id, pending.call.name, pending.call.args);
        const { reason, data, schema } = pending;
        push({
          type: 'tool-approval-request', approvalId: pending.id, toolCallId: pending.call.id,
          ...(pending.signature ? { signature: pending.signature } : {}),
          approvalDescriptor: { reason, ...(data !== undefined ? { data } : {}), ...(schema ? { schema } : {}) },
        });
      }
      reader.end();
      if (error !== undefined || outcome?.error) push({ type: 'error', errorText: error !== undefined ? errorText(error) : outcome!.error!.message });
      const meta = outcome && options.messageMetadata !== false
        ? (options.messageMetadata ?? defaultMetadata)(outcome)
        : undefined;
      push({ type: 'finish', finishReason: outcome ? FINISH[outcome.status] : 'error', ...(meta !== undefined ? { messageMetadata: meta } : {}) });
    },
  };
}

const defaultMetadata = (o: LoopOutcome) => ({ looplet: { runId: o.runId, status: o.status, steps: o.steps, usage: o.usage, ...(o.reason ? { reason: o.reason } : {}) } });

// ── the way back ──

/** The parts of an AI SDK `UIMessage` read here (a `ModelMessage`'s `content` array is read too). */
export interface UIMessageLike {
  readonly role: string;
  readonly parts?: readonly unknown[];
  readonly content?: unknown;
}

interface Answer { id?: unknown; approved?: unknown; reason?: unknown; signature?: unknown }

/** A tool part the user answered (`approval-responded`), or a model message's `tool-approval-response` part. */
function answerOf(raw: unknown): Answer | undefined {
  const part = raw as { type?: unknown; state?: unknown; approval?: Answer; approvalId?: unknown } | null;
  if (part?.state === 'approval-responded') return part.approval;
  if (part?.type === 'tool-approval-response') return { ...(part as Answer), id: part.approvalId };
  return undefined;
}

/**
 * The approvals the user gave in the last message (`addToolApprovalResponse`: the assistant's
 * tool parts in state `approval-responded`; or `tool-approval-response` parts of model messages),
 * as looplet decisions keyed by pending call id: approved → `approve`, denied → `reject` with the
 * user's reason. The signature the server sent with the request comes back with each.
 */
export function decisionsFromUIMessages(messages: readonly UIMessageLike[], { rejectReason = 'The user denied this call.' }: { rejectReason?: string } = {}): Record<string, ResumeDecision> {
  const last = messages.at(-1);
  const out: Record<string, ResumeDecision> = {};
  if (!last || last.role === 'user') return out; // a new message, not an answer
  const parts = last.parts ?? (Array.isArray(last.content) ? (last.content as unknown[]) : []);
  for (const raw of parts) {
    const a = answerOf(raw);
    if (!a || typeof a.id !== 'string' || typeof a.approved !== 'boolean') continue;
    const signature = typeof a.signature === 'string' ? { signature: a.signature } : {};
    out[a.id] = a.approved
      ? { kind: 'approve', ...signature }
      : { kind: 'reject', reason: typeof a.reason === 'string' && a.reason ? a.reason : rejectReason, ...signature };
  }
  return out;
}

/** The text of the last message if the user sent it (what a chat route passes to `send`). */
export function lastUserText(messages: readonly UIMessageLike[]): string | undefined {
  const last = messages.at(-1);
  if (last?.role !== 'user') return undefined;
  if (typeof last.content === 'string') return last.content;
  return (last.parts ?? []).map((p) => ((p as { type?: unknown }).type === 'text' ? String((p as { text?: unknown }).text ?? '') : '')).join('');
}
