// Live connections for the devtools: a BroadcastChannel to a panel in the same origin (another
// tab included), which can send approval decisions back; and a text/event-stream Response for
// a Worker or server, which a panel opens with `eventStreamSource(url)`.
import { safeJSON } from '../util/json.ts';
import type { Hook, ResumeDecision } from '../loop/types.ts';
import type { LoopEvent } from './events.ts';
import { sseResponse, streamRun, type StartRun } from './stream.ts';

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
 * Runs an agent and streams its events as Server-Sent Events, one `data:` line per event (and an
 * `event: error` if starting or running it threw). `start` receives the hook to add, and a signal
 * that aborts when the client goes away:
 * `toEventStream((hook, signal) => composableLoop({ ...opts, signal, hooks: [...hooks, hook] }))`.
 */
export function toEventStream(start: StartRun, init: ResponseInit = {}): Response {
  const events = streamRun<LoopEvent | { error: unknown }>(start, {
    event: (e, push) => push(e),
    end: ({ error }, push) => { if (error !== undefined) push({ error }); },
  });
  const frame = (m: LoopEvent | { error: unknown }) => ('type' in m
    ? `data: ${safeJSON(m)}\n\n`
    : `event: error\ndata: ${safeJSON({ message: String((m.error as Error)?.message ?? m.error) })}\n\n`);
  return sseResponse(events, init, { frame });
}
