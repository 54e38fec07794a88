// A run's trace events: kept in storage (so a watcher that comes after an eviction still sees the
// whole chat) and in memory, and handed to every live watcher as they happen. Streamed pieces of a
// reply (`llm.delta`) go to live watchers only: one storage write per token is not worth it.
import { durableObjectStore, type Checkpoint, type LoopEvent } from 'looplet';

export interface Logged {
  /** Its place in the log; none for an `llm.delta`. */
  readonly seq?: number;
  readonly event: LoopEvent;
}

export interface EventLog {
  append(event: LoopEvent): Promise<void>;
  /** The events after `after`, then the live ones while `live()` says a turn is running. */
  follow(after: number, live: () => boolean): AsyncGenerator<Logged, void>;
  /** Every stored event. */
  all(): Promise<readonly Logged[]>;
  /** Ends every live watcher (the turn is over). */
  close(): void;
}

interface Watcher { push(e: Logged): void; end(): void }

export function eventLog(storage: DurableObjectStorage): EventLog {
  // The checkpoint store's parts and one-write saves, for any JSON: an event may carry a 2 MB tool result.
  const store = durableObjectStore(storage, { prefix: 'events:' });
  const key = (seq: number) => String(seq).padStart(10, '0');
  const watchers = new Set<Watcher>();
  let log: Logged[] | undefined;
  const load = async (): Promise<Logged[]> => {
    if (log) return log;
    const keys = await store.list(); // in order: the keys are zero-padded
    const events = await Promise.all(keys.map(async (k) => ({ seq: Number(k), event: (await store.get(k)) as unknown as LoopEvent })));
    return (log ??= events);
  };

  return {
    async append(event) {
      const events = await load();
      const logged: Logged = event.type === 'llm.delta' ? { event } : { seq: (events.at(-1)?.seq ?? 0) + 1, event };
      if (logged.seq !== undefined) {
        events.push(logged);
        await store.put(key(logged.seq), event as unknown as Checkpoint);
      }
      for (const w of watchers) w.push(logged);
    },
    async *follow(after, live) {
      const queue = (await load()).filter((e) => e.seq! > after);
      let ended = !live();
      let wake: (() => void) | undefined;
      const watcher: Watcher = { push: (e) => { queue.push(e); wake?.(); }, end: () => { ended = true; wake?.(); } };
      if (!ended) watchers.add(watcher);
      try {
        for (;;) {
          while (queue.length) yield queue.shift()!;
          if (ended) return;
          await new Promise<void>((ok) => (wake = ok));
        }
      } finally {
        watchers.delete(watcher);
      }
    },
    all: load,
    close() {
      for (const w of watchers) w.end();
      watchers.clear();
    },
  };
}

/** Server-Sent Events as `toEventStream` writes them (`data: <event JSON>`), with `id:` so a reconnecting EventSource resumes. */
export function eventStream(events: AsyncGenerator<Logged, void>, headers: HeadersInit = {}): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const next = await events.next();
      if (next.done) return ctrl.close();
      const { seq, event } = next.value;
      ctrl.enqueue(enc.encode(`${seq !== undefined ? `id: ${seq}\n` : ''}data: ${JSON.stringify(event)}\n\n`));
    },
    async cancel() {
      await events.return();
    },
  });
  return new Response(body, { headers: { ...Object.fromEntries(new Headers(headers)), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
}
