// What both UI adapters share: run an agent with one extra hook that sees every event, and
// turn those events into a stream of another protocol's messages.
import type { Step } from '../loop/step.ts';
import type { Hook, LoopOutcome } from '../loop/types.ts';
import type { LoopEvent } from '../trace/events.ts';
import { safeJSON } from '../util/json.ts';

/**
 * The `done` tool's name (lib/tools/done.ts). Kept here: importing that module for one inlined
 * string leaves a bare import of its chunk in dist/ui, which bundlers warn about (sideEffects: false).
 */
export const DONE = 'done';

/**
 * What the UI adapters take: `(hook, signal) => composableLoop({ ...options, signal, hooks: [...hooks, hook] })`
 * (or a conversation's `send` / `resume`). `signal` aborts when the client goes away: pass it on
 * so a running tool or model call stops too.
 */
export type StartRun = (hook: Hook, signal: AbortSignal) => AsyncGenerator<Step, LoopOutcome>;

/** A protocol's translator: called for each event, then once at the end. `push` enqueues messages. */
export interface Translator<T> {
  event(event: LoopEvent, push: (message: T) => void): void;
  /** `outcome` when the run returned; `error` when starting or running it threw (a refused decision, a store error). */
  end(result: { outcome?: LoopOutcome; error?: unknown }, push: (message: T) => void): void;
}

/** Runs `start` and streams what `translator` makes of it; cancelling the stream stops the run (its teardown runs). */
export function translate<T>(start: StartRun, translator: Translator<T>): ReadableStream<T> {
  let run: AsyncGenerator<Step, LoopOutcome> | undefined;
  const abort = new AbortController();
  return new ReadableStream<T>({
    async start(ctrl) {
      const push = (m: T) => { if (!abort.signal.aborted) ctrl.enqueue(m); };
      const hook: Hook = { name: 'uiStream', onEvent: (e) => translator.event(e, push) };
      let result: { outcome?: LoopOutcome; error?: unknown };
      try {
        run = start(hook, abort.signal);
        let r = await run.next();
        while (!r.done) r = await run.next();
        result = { outcome: r.value };
      } catch (error) {
        result = { error };
      }
      translator.end(result, push);
      if (!abort.signal.aborted) ctrl.close();
    },
    async cancel() {
      abort.abort(new DOMException('The client went away.', 'AbortError'));
      await run?.return(undefined as never); // waits for the step in flight, then teardown runs
    },
  });
}

/** A stream of JSON messages as Server-Sent Events: one `data:` line each, then `data: [DONE]` if asked. */
export function sseResponse(messages: ReadableStream<unknown>, init: ResponseInit, headers: Record<string, string>, done: boolean): Response {
  const enc = new TextEncoder();
  const body = messages.pipeThrough(new TransformStream<unknown, Uint8Array>({
    transform: (m, ctrl) => ctrl.enqueue(enc.encode(`data: ${safeJSON(m)}\n\n`)),
    flush: (ctrl) => { if (done) ctrl.enqueue(enc.encode('data: [DONE]\n\n')); },
  }));
  const h = new Headers(init.headers);
  h.set('content-type', 'text/event-stream; charset=utf-8');
  h.set('cache-control', 'no-cache');
  h.set('x-accel-buffering', 'no'); // proxies (nginx) would hold the stream back otherwise
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  return new Response(body, { ...init, headers: h });
}

/** An error's words, for a UI to show (a typed looplet error keeps its code). */
export function errorText(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return typeof e?.code === 'string' ? `${e.code}: ${message}` : message;
}

/** A tool call's arguments as an object when they parse, else as sent. */
export function parsedArgs(args: Record<string, unknown> | string): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}
