import { errorMessage, type ToolError } from '../errors.ts';
import { isToolPause, toolPause, type ToolPause } from '../tools/pause.ts';
import type { RegisteredTool, ToolContext } from '../tools/types.ts';
import { isThenable } from '../util/thenable.ts';

export interface ToolOutcome {
  data?: unknown;
  error?: ToolError;
  /** The tool asked a human (`return ctx.pause(…)`). */
  pause?: ToolPause;
  durationMs: number;
}

/** What a run gives its tools: its signal, and a promise that settles when it is aborted. */
export interface RunAbort {
  readonly signal: AbortSignal;
  readonly aborted: Promise<ToolError>;
}

export function runAbort(signal: AbortSignal): RunAbort {
  const aborted = new Promise<ToolError>((resolve) => {
    const fire = () => resolve({ kind: 'aborted', message: 'The run was aborted while the tool was running.', retriable: false });
    if (signal.aborted) fire();
    else signal.addEventListener('abort', fire, { once: true });
  });
  return { signal, aborted };
}

/**
 * Runs one tool. The loop stops waiting the moment the run is aborted or the timeout passes,
 * even if the tool ignores its signal. A tool that returns synchronously costs no promise.
 */
export function runTool(
  tool: RegisteredTool,
  args: Record<string, unknown>,
  base: Omit<ToolContext, 'signal' | 'pause'>,
  run: RunAbort,
  timeoutMs: number | undefined,
): ToolOutcome | Promise<ToolOutcome> {
  const started = performance.now();
  const failed = (err: unknown): ToolOutcome => ({ error: toolError(err), durationMs: performance.now() - started });
  const ok = (data: unknown): ToolOutcome => (isToolPause(data) ? { pause: data, durationMs: performance.now() - started } : { data, durationMs: performance.now() - started });

  // Only a call with a time limit needs a signal of its own.
  let ctrl: AbortController | undefined;
  let signal = run.signal;
  if (timeoutMs !== undefined) {
    ctrl = new AbortController();
    signal = ctrl.signal;
    if (run.signal.aborted) ctrl.abort(run.signal.reason);
  }

  let out: unknown;
  try {
    out = tool.execute(args, { ...base, signal, pause: toolPause });
  } catch (err) {
    return failed(err);
  }
  if (!isThenable(out)) return ok(out);

  const work = Promise.resolve(out);
  work.catch(() => {}); // if we stop waiting, a later rejection must not go unhandled
  const stoppers: Promise<ToolError>[] = [run.aborted];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unlink: (() => void) | undefined;
  if (ctrl) {
    const c = ctrl;
    const onAbort = () => c.abort(run.signal.reason);
    run.signal.addEventListener('abort', onAbort, { once: true });
    unlink = () => run.signal.removeEventListener('abort', onAbort);
    stoppers.push(
      new Promise<ToolError>((resolve) => {
        timer = setTimeout(() => {
          c.abort(new DOMException(`Tool "${tool.name}" timed out after ${timeoutMs}ms`, 'TimeoutError'));
          resolve({ kind: 'timeout', message: `The tool did not finish within ${timeoutMs}ms.`, retriable: true });
        }, timeoutMs);
      }),
    );
  }
  const stopped = stoppers.length === 1 ? stoppers[0]! : Promise.race(stoppers);
  const done = work.then(ok, failed);
  const cut = stopped.then((error): ToolOutcome => ({ error, durationMs: performance.now() - started }));
  return Promise.race([done, cut]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
    unlink?.();
  });
}

function toolError(err: unknown): ToolError {
  const retriable = typeof (err as { retriable?: unknown })?.retriable === 'boolean' ? (err as { retriable: boolean }).retriable : false;
  return { kind: 'tool_error', message: errorMessage(err), retriable };
}
