import { readJSONL, type LoopEvent } from 'looplet';

export interface Parsed {
  events: LoopEvent[];
  errors: { line: number; reason: string }[];
}

/** Parses in a Worker when the page can start one, else here. Malformed lines are reported, the rest kept. */
export function parseTrace(text: string): Promise<Parsed> {
  if (typeof Worker === 'function') {
    try {
      const w = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
      return new Promise((resolve, reject) => {
        w.onmessage = (m: MessageEvent<Parsed>) => { resolve(m.data); w.terminate(); };
        w.onerror = (e) => { w.terminate(); reject(new Error(e.message || 'the trace could not be parsed')); };
        w.postMessage(text);
      }).catch(() => here(text)) as Promise<Parsed>;
    } catch {
      // fall through
    }
  }
  return Promise.resolve(here(text));
}

function here(text: string): Parsed {
  const { events, errors } = readJSONL(text);
  return { events, errors: errors.map((e) => ({ line: e.line, reason: e.reason })) };
}
