// Where the panel's events come from: a list, this page's own runs, another tab, or a server.
import type { Hook, LoopEvent, ResumeDecision } from 'looplet';
import { parseTrace } from './parse.ts';

export interface TraceSource {
  /**
   * Called with batches of events as they arrive; returns an unsubscribe function. `onProblem`
   * hears what went wrong with the source (a URL that refuses), and `undefined` once it recovers.
   */
  subscribe(onEvents: (events: LoopEvent[]) => void, onProblem?: (message: string | undefined) => void): () => void;
  /** Events keep coming (a run under way): the panel follows the newest step. */
  readonly live?: boolean;
  /** The whole trace again (a file, a URL): the panel then keeps no copy of every event, and "Save trace" reads it anew. */
  reread?(): Promise<string | Blob>;
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
    live: true,
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
    live: true,
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

/**
 * A `text/event-stream` URL (e.g. a Worker returning `toEventStream(run)`). The stream is closed
 * once every run it carried has ended (an EventSource would otherwise reconnect and replay it).
 */
export function eventStreamSource(url: string): TraceSource {
  return {
    live: true,
    subscribe(on, problem) {
      let es: EventSource;
      try {
        es = new EventSource(url);
      } catch (err) {
        problem?.(`Could not open the event stream ${url}: ${(err as Error).message}`);
        return () => {};
      }
      const open = new Set<string>();
      let seen = 0;
      es.onmessage = (m) => {
        let e: LoopEvent;
        try {
          e = JSON.parse(m.data as string) as LoopEvent;
        } catch {
          return; // a line that is not an event is skipped; the stream goes on
        }
        if (seen++ === 0) problem?.(undefined);
        if (e.type === 'run.end') open.delete(e.runId);
        else open.add(e.runId);
        on([e]);
        if (open.size === 0) es.close();
      };
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED) problem?.(`The event stream ${url} was refused (an HTTP error, or not text/event-stream).`);
        else if (seen === 0) problem?.(`Cannot reach the event stream ${url}; retrying…`);
      };
      return () => es.close();
    },
  };
}

/** A trace file at a URL, parsed in a Worker and shown batch by batch (first steps before the file is read). */
export function urlSource(url: string | URL): TraceSource {
  return {
    reread: async () => { const res = await fetch(url); if (!res.ok) throw new Error(`HTTP ${res.status}`); return res.blob(); },
    subscribe(on, problem) {
      let live = true;
      void (async () => {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const { errors } = await parseTrace(await res.blob(), (batch) => { if (live) on(batch.events); });
        if (live) on([]); // read to the end: the panel can say when there was nothing in it
        if (live && errors.length) problem?.(`${errors.length} malformed line${errors.length > 1 ? 's' : ''} skipped (first: line ${errors[0]!.line}: ${errors[0]!.reason}).`);
      })().catch((err: unknown) => { if (live) problem?.(`Could not load the trace ${String(url)}: ${(err as Error).message}`); });
      return () => { live = false; };
    },
  };
}
