// Where the panel's events come from: a list, this page's own runs, another tab, or a server.
import type { Hook, LoopEvent, ResumeDecision } from 'looplet';

export interface TraceSource {
  /** Called with batches of events as they arrive; returns an unsubscribe function. */
  subscribe(onEvents: (events: LoopEvent[]) => void): () => void;
}

/** A fixed list of events (a file, a sample). */
export function staticSource(events: readonly LoopEvent[]): TraceSource {
  return { subscribe: (on) => { on([...events]); return () => {}; } };
}

/** Runs in this page: pass `source.hook` to composableLoop and the panel follows them live. */
export function liveSource(): TraceSource & { hook: Hook; events: LoopEvent[] } {
  const listeners = new Set<(e: LoopEvent[]) => void>();
  const events: LoopEvent[] = [];
  let queued: LoopEvent[] = [];
  let scheduled = false;
  // Batch per frame: a fast run emits thousands of events; the panel renders once per batch.
  const flush = () => {
    scheduled = false;
    const batch = queued;
    queued = [];
    for (const l of listeners) l(batch);
  };
  return {
    events,
    hook: {
      name: 'devtools',
      onEvent(e: LoopEvent) {
        events.push(e);
        queued.push(e);
        if (!scheduled) {
          scheduled = true;
          (typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (f: () => void) => setTimeout(f, 16))(flush);
        }
      },
    },
    subscribe(on) {
      if (events.length) on([...events]);
      listeners.add(on);
      return () => listeners.delete(on);
    },
  };
}

/** Events posted by `devtoolsBridge()` in another tab or frame of the same origin. */
export function broadcastSource(channel = 'looplet-devtools'): TraceSource {
  return {
    subscribe(on) {
      const bc = new BroadcastChannel(channel);
      bc.onmessage = (m: MessageEvent) => {
        const d = m.data as { kind?: string; event?: LoopEvent };
        if (d && d.kind === 'event' && d.event) on([d.event]);
      };
      return () => bc.close();
    },
  };
}

/** Sends a panel's decisions back to the page running the agent (its `devtoolsBridge({ onDecision })`). */
export function broadcastDecide(channel = 'looplet-devtools'): (runId: string, decisions: Record<string, ResumeDecision>) => void {
  return (runId, decisions) => {
    const bc = new BroadcastChannel(channel);
    bc.postMessage({ kind: 'decision', runId, decisions });
    bc.close();
  };
}

/** A `text/event-stream` URL (e.g. a Worker returning `toEventStream(run)`). */
export function eventStreamSource(url: string): TraceSource {
  return {
    subscribe(on) {
      const es = new EventSource(url);
      es.onmessage = (m) => {
        try {
          on([JSON.parse(m.data as string) as LoopEvent]);
        } catch {
          // a line that is not an event is skipped; the stream goes on
        }
      };
      return () => es.close();
    },
  };
}
