// The browser host's `run`: a command is JavaScript (js-command.ts), run in a fresh dedicated Web
// Worker made from a Blob — no DOM, its network and storage globals taken away before the code
// runs (sandbox-worker.ts) — with the workspace's files for `require`, console output captured,
// and a timeout that terminates the worker. An infinite loop costs a worker, never the page.
//
// Best-effort isolation: the worker runs in the page's origin. For code you do not trust, run it
// somewhere with its own origin (a sandboxed iframe with a CSP, a server-side container).
import { parseJsCommand } from './js-command.ts';
import { capped } from './output-cap.ts';
import { sandboxAssert } from './sandbox-assert.ts';
import { sandboxCommonJS } from './sandbox-commonjs.ts';
import { sandboxFence } from './sandbox-fence.ts';
import { sandboxFormat } from './sandbox-format.ts';
import type { SandboxEntry, SandboxReply, SandboxStart } from './sandbox-protocol.ts';
import { sandboxMain } from './sandbox-worker.ts';
import type { RunCommand, RunResult, Workspace } from './workspace.ts';

const MAX_FILE = 1_000_000; // characters: bigger files are left out of what `require` can load

/** The worker's whole program: each function's own source, its parts passed in as arguments (so no names are shared, whatever a bundler renames). */
const source = () => `"use strict";\n(${sandboxMain.toString()})(self, {
  capped: ${capped.toString()},
  format: ${sandboxFormat.toString()},
  assert: ${sandboxAssert.toString()},
  fence: ${sandboxFence.toString()},
  commonJS: ${sandboxCommonJS.toString()},
});\n`;
let url: string | undefined;
const workerURL = () => (url ??= URL.createObjectURL(new Blob([source()], { type: 'text/javascript' })));

/** For `codingAgent({ runHost })`: what the model is told `run` is here, and what a human approves. */
export const WORKER_RUN_HOST = {
  notes: 'Here run is not a shell: it executes JavaScript in a sandboxed Web Worker. It takes `node FILE.js [args]`, `node -e CODE`, or JavaScript source. '
    + 'Files are CommonJS (require, module.exports); of Node\'s own modules only assert (node:assert, node:assert/strict) and util exist. There is no npm, no network, no DOM and no fs: read and write files with the tools.',
  askReason: 'it runs workspace JavaScript in a Web Worker',
} as const;

export interface WorkerRunOptions {
  readonly workspace: Workspace;
  /** The workspace's virtual absolute path, as the agent was given it (e.g. '/workspace'). */
  readonly root: string;
}

export function workerRun({ workspace, root }: WorkerRunOptions): RunCommand {
  return async (command, { timeoutMs, signal }) => {
    const parsed = parseJsCommand(command, root);
    if (parsed.kind === 'refused') return { exitCode: parsed.exitCode, stdout: '', stderr: parsed.message };
    signal.throwIfAborted();
    const entry: SandboxEntry = parsed;
    return runInWorker({ root, files: await snapshot(workspace), entry }, timeoutMs, signal);
  };
}

/** The workspace's text files, for the worker's `require` (it cannot reach the workspace itself). */
async function snapshot(ws: Workspace): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const e of await ws.list('')) {
    if (e.type !== 'file' || (e.size ?? 0) > MAX_FILE * 4) continue;
    const text = await ws.read(e.path);
    if (text.length <= MAX_FILE) files[e.path] = text;
  }
  return files;
}

/** One run in its own worker: it ends with the worker's exit, the timeout, the abort signal, or the worker failing to start. */
export function runInWorker(start: SandboxStart, timeoutMs: number, signal: AbortSignal): Promise<RunResult> {
  return new Promise<RunResult>((done) => {
    const worker = new Worker(workerURL(), { name: 'looplet-run' });
    let last = { stdout: '', stderr: '' };
    const end = (result: RunResult) => {
      worker.terminate();
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      done(result);
    };
    const killed = (why: string, timedOut: boolean) => {
      const err = capped();
      err.add(last.stderr);
      err.add(`${last.stderr && !last.stderr.endsWith('\n') ? '\n' : ''}[${why}]\n`);
      end({ exitCode: null, stdout: last.stdout, stderr: err.text(), ...(timedOut ? { timedOut: true } : {}) });
    };
    const aborted = () => killed('stopped: the run was cancelled', false);
    const timer = setTimeout(() => killed(`killed: still running after ${timeoutMs / 1000} s (the time limit)`, true), timeoutMs);
    signal.addEventListener('abort', aborted, { once: true });
    if (signal.aborted) aborted();
    worker.onmessage = (e: MessageEvent<SandboxReply>) => {
      const m = e.data;
      if (m.type === 'output') last = { stdout: m.stdout, stderr: m.stderr };
      else end({ exitCode: m.code, stdout: m.stdout, stderr: m.stderr });
    };
    worker.onerror = (e) => {
      e.preventDefault();
      killed(`the sandbox worker failed: ${e.message || 'it could not start (does the page allow blob: workers?)'}`, false);
    };
    worker.postMessage(start);
  });
}
