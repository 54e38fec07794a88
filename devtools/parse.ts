import { readJSONL, type LoopEvent } from 'looplet';

/** What the page asks the parse Worker, and what it posts back (in batches, the last one `done`). */
export interface ParseRequest { readonly input: string | Blob; readonly firstBatch?: number; readonly batch?: number }
export interface ParseBatch { readonly events: unknown[]; readonly errors: { line: number; reason: string }[]; readonly done: boolean }

export interface Parsed {
  events: LoopEvent[];
  errors: { line: number; reason: string }[];
}

/**
 * Parses a JSONL trace (text, or a File) in a Worker when the page can start one, else here.
 * `onBatch` gets the events as they are parsed, so a long file shows its first steps at once; they
 * are then not also gathered into the result (a long trace is not held twice). Malformed lines are
 * reported with their numbers, the rest kept.
 */
export function parseTrace(input: string | Blob, onBatch?: (batch: Parsed) => void): Promise<Parsed> {
  if (typeof Worker === 'function') {
    try {
      const w = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
      const all: Parsed = { events: [], errors: [] };
      return new Promise<Parsed>((resolve, reject) => {
        w.onmessage = (m: MessageEvent<ParseBatch>) => {
          const batch = { events: m.data.events as LoopEvent[], errors: m.data.errors };
          if (!onBatch) for (const e of batch.events) all.events.push(e);
          for (const e of batch.errors) all.errors.push(e);
          onBatch?.(batch);
          if (m.data.done) { w.terminate(); resolve(all); }
        };
        w.onerror = (e) => { w.terminate(); reject(new Error(e.message || 'the trace could not be parsed')); };
        w.postMessage({ input });
      }).catch(async () => (all.events.length || all.errors.length ? all : here(input, onBatch)));
    } catch {
      // fall through: parse here
    }
  }
  return here(input, onBatch);
}

async function here(input: string | Blob, onBatch?: (batch: Parsed) => void): Promise<Parsed> {
  const { events, errors } = readJSONL(typeof input === 'string' ? input : await input.text());
  const parsed = { events, errors: errors.map((e) => ({ line: e.line, reason: e.reason })) };
  if (!onBatch) return parsed;
  onBatch(parsed);
  return { events: [], errors: parsed.errors };
}
