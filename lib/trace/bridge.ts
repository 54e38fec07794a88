// Live connections for the devtools: a BroadcastChannel to a panel in the same origin (another
// tab included), which can send approval decisions back; and a text/event-stream Response for
// a Worker or server, which a panel opens with `eventStreamSource(url)`.
import { safeJSON } from '../util/json.ts';
import type { Step } from '../loop/step.ts';
import type { Hook, LoopOutcome, ResumeDecision } from '../loop/types.ts';
import type { LoopEvent } from './events.ts';

export interface BridgeOptions {
  /** Default 'looplet-devtools' (what the panel's broadcastSource listens to). */
  channel?: string;
  /** A panel's decisions for a paused run (resume the run with them). */
  onDecision?(runId: string, decisions: Record<string, ResumeDecision>): void;
}

export type BridgeMessage =
  | { kind: 'event'; event: LoopEvent }
  | { kind: 'decision'; runId: string; decisions: Record<string, ResumeDecision> };

/** A hook that posts every event to a BroadcastChannel, and hears decisions back. */
export function devtoolsBridge(opts: BridgeOptions = {}): Hook & { close(): void } {
  const bc = typeof BroadcastChannel === 'function' ? new BroadcastChannel(opts.channel ?? 'looplet-devtools') : undefined;
  if (bc && opts.onDecision) {
    bc.onmessage = (m: MessageEvent) => {
      const d = m.data as BridgeMessage;
      if (d && d.kind === 'decision' && typeof d.runId === 'string' && d.decisions && typeof d.decisions === 'object') opts.onDecision!(d.runId, d.decisions);
    };
  }
  return {
    name: 'devtoolsBridge',
    onEvent(event) {
      if (!bc) return;
      try {
        bc.postMessage({ kind: 'event', event } satisfies BridgeMessage);
      } catch {
        // tool data a structured clone cannot copy (functions, class instances): send its JSON
        bc.postMessage({ kind: 'event', event: JSON.parse(safeJSON(event)) as LoopEvent } satisfies BridgeMessage);
      }
    },
    close: () => bc?.close(),
  };
}

/**
 * Runs an agent and streams its events as Server-Sent Events, one `data:` line per event.
 * `start` receives the hook to add, and a signal that aborts when the client goes away:
 * `toEventStream((hook, signal) => composableLoop({ ...opts, signal, hooks: [...hooks, hook] }))`.
 */
export function toEventStream(start: (hook: Hook, signal: AbortSignal) => AsyncGenerator<Step, LoopOutcome>, init: ResponseInit = {}): Response {
  const enc = new TextEncoder();
  const abort = new AbortController();
  let run: AsyncGenerator<Step, LoopOutcome> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async start(ctrl) {
      const send = (text: string) => { if (!abort.signal.aborted) ctrl.enqueue(enc.encode(text)); };
      const hook: Hook = { name: 'eventStream', onEvent: (e) => send(`data: ${safeJSON(e)}\n\n`) };
      try {
        run = start(hook, abort.signal);
        for (;;) if ((await run.next()).done) break;
      } catch (err) {
        send(`event: error\ndata: ${safeJSON({ message: String((err as Error)?.message ?? err) })}\n\n`);
      }
      if (!abort.signal.aborted) ctrl.close();
    },
    async cancel() {
      abort.abort(new DOMException('The client went away.', 'AbortError'));
      await run?.return(undefined as never); // the client went away: stop the run, teardown runs
    },
  });
  const headers = new Headers(init.headers);
  headers.set('content-type', 'text/event-stream; charset=utf-8');
  headers.set('cache-control', 'no-cache');
  return new Response(body, { ...init, headers });
}
