// A run streamed to a client: the agent runs with one extra hook that sees every event, a
// translator turns the events into a protocol's messages, and Server-Sent Events carry them.
// Used by toEventStream (looplet's own events) and looplet/ui (the AI SDK's and AG-UI's).
import type { Step } from '../loop/step.ts';
import type { Hook, LoopOutcome } from '../loop/types.ts';
import { safeJSON } from '../util/json.ts';
import type { LoopEvent } from './events.ts';

/**
 * What the streaming adapters (`toEventStream`, looplet/ui) take: `(hook, signal) => composableLoop({ ...options, signal, hooks: [...hooks, hook] })`
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
export function streamRun<T>(start: StartRun, translator: Translator<T>): ReadableStream<T> {
  let run: AsyncGenerator<Step, LoopOutcome> | undefined;
  const abort = new AbortController();
  return new ReadableStream<T>({
    async start(ctrl) {
      const push = (m: T) => { if (!abort.signal.aborted) ctrl.enqueue(m); };
      const hook: Hook = { name: 'eventStream', onEvent: (e) => translator.event(e, push) };
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

/**
 * Messages as Server-Sent Events: `frame` writes each (default: one `data:` line of JSON), and
 * `last`, if given, ends the stream (the AI SDK's `data: [DONE]`).
 */
export function sseResponse<T>(messages: ReadableStream<T>, init: ResponseInit, { headers = {}, frame = (m: T) => `data: ${safeJSON(m)}\n\n`, last }: { headers?: Record<string, string>; frame?: (m: T) => string; last?: string } = {}): Response {
  const enc = new TextEncoder();
  const body = messages.pipeThrough(new TransformStream<T, Uint8Array>({
    transform: (m, ctrl) => ctrl.enqueue(enc.encode(frame(m))),
    flush: (ctrl) => { if (last) ctrl.enqueue(enc.encode(last)); },
  }));
  const h = new Headers(init.headers);
  h.set('content-type', 'text/event-stream; charset=utf-8');
  h.set('cache-control', 'no-cache');
  h.set('x-accel-buffering', 'no'); // proxies (nginx) would hold the stream back otherwise
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  return new Response(body, { ...init, headers: h });
}
