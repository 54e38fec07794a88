import { errorMessage, type ToolError } from '../errors.ts';
import type { RegisteredTool, ToolContext } from '../tools/types.ts';

export interface ToolOutcome {
  data?: unknown;
  error?: ToolError;
  durationMs: number;
}

/**
 * Runs one tool with its own AbortSignal, which fires when the run is aborted or the timeout
 * passes. The loop stops waiting at that moment even if the tool ignores its signal.
 */
export async function runTool(
  tool: RegisteredTool,
  args: Record<string, unknown>,
  base: Omit<ToolContext, 'signal'>,
  runSignal: AbortSignal,
  timeoutMs: number | undefined,
): Promise<ToolOutcome> {
  const started = performance.now();
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<ToolError>((resolve) => {
    onAbort = () => {
      ctrl.abort(runSignal.reason);
      resolve({ kind: 'aborted', message: 'The run was aborted while the tool was running.', retriable: false });
    };
    if (runSignal.aborted) onAbort();
    else runSignal.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        ctrl.abort(new DOMException(`Tool "${tool.name}" timed out after ${timeoutMs}ms`, 'TimeoutError'));
        resolve({ kind: 'timeout', message: `The tool did not finish within ${timeoutMs}ms.`, retriable: true });
      }, timeoutMs);
    }
  });
  try {
    const work = (async () => tool.execute(args, { ...base, signal: ctrl.signal }))();
    const raced = await Promise.race([work.then((data) => ({ data })), stopped.then((error) => ({ error }))]);
    if ('error' in raced) {
      work.catch(() => {}); // a tool that ignores its signal may still reject later
      return { error: raced.error, durationMs: performance.now() - started };
    }
    return { data: raced.data, durationMs: performance.now() - started };
  } catch (err) {
    const retriable = typeof (err as { retriable?: unknown })?.retriable === 'boolean' ? (err as { retriable: boolean }).retriable : false;
    return { error: { kind: 'tool_error', message: errorMessage(err), retriable }, durationMs: performance.now() - started };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort) runSignal.removeEventListener('abort', onAbort);
  }
}
