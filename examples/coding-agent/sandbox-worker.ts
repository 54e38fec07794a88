// The sandbox worker's program: it receives the workspace's files and what to run, and runs it as
// Node runs a CommonJS file — require and module.exports (sandbox-commonjs.ts), console, process,
// timers — then reports the output and an exit code: 1 on an uncaught error or a failed assert,
// `process.exitCode` or 0 once nothing is left to wait for. Before any user code runs, the network
// and the origin's storage are fenced off (sandbox-fence.ts).
// Self-contained (no imports at run time, no outer names): worker-run.ts ships this function's
// source into a Blob worker, and its parts come in as arguments.
import type { capped } from './output-cap.ts';
import type { sandboxAssert } from './sandbox-assert.ts';
import type { sandboxCommonJS } from './sandbox-commonjs.ts';
import type { sandboxFence } from './sandbox-fence.ts';
import type { sandboxFormat } from './sandbox-format.ts';
import type { SandboxReply, SandboxStart } from './sandbox-protocol.ts';

interface WorkerEvent {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly message?: string;
  readonly reason?: unknown;
  preventDefault(): void;
}

/** The parts of a dedicated worker's global scope the sandbox uses. */
export interface SandboxGlobal {
  postMessage(message: SandboxReply): void;
  addEventListener(type: 'message' | 'error' | 'unhandledrejection', listener: (event: WorkerEvent) => void, options?: { once?: boolean }): void;
  setTimeout(handler: () => void, ms?: number): number;
  clearTimeout(id: number | undefined): void;
  setInterval(handler: () => void, ms?: number): number;
  clearInterval(id: number | undefined): void;
  readonly navigator: object;
}

/** The sandbox's other functions, each shipped as its own source. */
export interface SandboxParts {
  readonly capped: typeof capped;
  readonly format: typeof sandboxFormat;
  readonly assert: typeof sandboxAssert;
  readonly fence: typeof sandboxFence;
  readonly commonJS: typeof sandboxCommonJS;
}

type Callback = (...args: unknown[]) => unknown;

export function sandboxMain(scope: SandboxGlobal, parts: SandboxParts): void {
  // What the sandbox itself needs, taken before the fence goes up and user code can replace it.
  const send = scope.postMessage.bind(scope);
  const later = scope.setTimeout.bind(scope);
  const cancel = scope.clearTimeout.bind(scope);
  const every = scope.setInterval.bind(scope);
  const stopEvery = scope.clearInterval.bind(scope);
  const apply = Reflect.apply;
  const now = Date.now;
  parts.fence(scope, scope.navigator);
  const fmt = parts.format();
  const assert = parts.assert(fmt.inspect);
  const define = (name: string, value: unknown) => Object.defineProperty(scope, name, { value, writable: true, configurable: true });

  // Output: capped as it is written, and sent as it comes (at most 20 times a tenth of a second, so
  // a print loop cannot flood the page), so a run killed by its timeout still shows what it wrote.
  const out = parts.capped();
  const err = parts.capped();
  let windowAt = 0;
  let sentInWindow = 0;
  const write = (stream: typeof out, text: string) => {
    stream.add(text);
    if (now() - windowAt >= 100) { windowAt = now(); sentInWindow = 0; }
    if (sentInWindow++ < 20) send({ type: 'output', stdout: out.text(), stderr: err.text() });
  };

  let exited = false;
  const exitSignal = new Error('process.exit'); // thrown by process.exit to stop the code that called it
  const finish = (code: number) => {
    if (exited) return;
    exited = true;
    send({ type: 'exit', code, stdout: out.text(), stderr: err.text() });
  };

  let root = '/workspace';
  /** An uncaught error as Node prints it, without the sandbox's own frames, lines counted from the file's first. */
  const describe = (e: unknown): string => {
    if (!(e instanceof Error)) return `Uncaught ${fmt.inspect(e)}`;
    const code = (e as Error & { code?: unknown }).code;
    const head = `${e.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${e.message}`;
    const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l) && !l.includes('blob:'));
    const at = new RegExp(`(${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^\\s():]+):(\\d+):(\\d+)`, 'g');
    return [head, ...frames.map((l) => l.replace(at, (_m, f: string, line: string, col: string) => `${f}:${Math.max(1, Number(line) - 2)}:${col}`))].join('\n');
  };
  const uncaught = (e: unknown) => {
    if (e === exitSignal || exited) return;
    write(err, `${describe(e)}\n`);
    finish(1);
  };
  scope.addEventListener('error', (e) => { e.preventDefault(); uncaught(e.error ?? e.message); });
  scope.addEventListener('unhandledrejection', (e) => { e.preventDefault(); uncaught(e.reason); });

  // process, as far as tests and scripts use it.
  const proc = {
    argv: ['node'] as string[],
    env: {} as Record<string, string>,
    platform: 'browser',
    version: 'v0.0.0-sandbox',
    versions: {},
    exitCode: undefined as number | undefined,
    cwd: () => root,
    exit(code?: number): never {
      finish(typeof code === 'number' ? code : Number(proc.exitCode ?? 0) || 0);
      throw exitSignal;
    },
    nextTick: (fn: Callback, ...args: unknown[]) => queueMicrotask(() => { apply(fn, undefined, args); }),
    on: () => proc,
    stdout: { write: (s: unknown) => { write(out, String(s)); return true; } },
    stderr: { write: (s: unknown) => { write(err, String(s)); return true; } },
  };
  define('process', proc);
  define('global', scope);

  // Timers, counted: like Node, the run ends once nothing is left to wait for.
  const active = new Set<number>();
  let idle: number | undefined;
  const settle = () => {
    if (exited) return;
    cancel(idle);
    // two turns, so an unhandled rejection is reported before the run is called finished
    idle = later(() => { if (active.size === 0) idle = later(() => { if (active.size === 0) finish(Number(proc.exitCode ?? 0) || 0); }, 20); }, 0);
  };
  const guard = (fn: unknown, args: unknown[]) => {
    if (typeof fn !== 'function') throw new TypeError('The callback must be a function (strings are not run).');
    return () => { if (!exited) try { apply(fn as Callback, undefined, args); } catch (e) { uncaught(e); } };
  };
  const setTimeoutShim = (fn: unknown, ms?: number, ...args: unknown[]) => {
    const run = guard(fn, args);
    const id = later(() => { active.delete(id); run(); settle(); }, ms);
    active.add(id);
    return id;
  };
  const clear = (id: unknown) => {
    if (typeof id !== 'number') return;
    active.delete(id);
    cancel(id);
    stopEvery(id);
    settle();
  };
  define('setTimeout', setTimeoutShim);
  define('setImmediate', (fn: unknown, ...args: unknown[]) => setTimeoutShim(fn, 0, ...args));
  define('setInterval', (fn: unknown, ms?: number, ...args: unknown[]) => {
    const id = every(guard(fn, args), ms);
    active.add(id);
    return id;
  });
  define('clearTimeout', clear);
  define('clearImmediate', clear);
  define('clearInterval', clear);

  const line = (stream: typeof out) => (...args: unknown[]) => write(stream, `${fmt.format(args)}\n`);
  const timers = new Map<string, number>();
  define('console', {
    log: line(out), info: line(out), debug: line(out), table: line(out), group: line(out), groupEnd: () => {},
    warn: line(err), error: line(err),
    dir: (v: unknown) => write(out, `${fmt.inspect(v)}\n`),
    trace: (...args: unknown[]) => write(err, `Trace: ${fmt.format(args)}\n`),
    assert: (ok: unknown, ...args: unknown[]) => { if (!ok) write(err, `Assertion failed${args.length ? `: ${fmt.format(args)}` : ''}\n`); },
    time: (label = 'default') => { timers.set(label, now()); },
    timeEnd: (label = 'default') => { write(out, `${label}: ${now() - (timers.get(label) ?? now())}ms\n`); timers.delete(label); },
  });

  const builtin = (spec: string): unknown => {
    const name = spec.replace(/^node:/, '');
    if (name === 'assert') return assert;
    if (name === 'assert/strict') return assert.strict;
    if (name === 'util') return { format: (...args: unknown[]) => fmt.format(args), inspect: fmt.inspect };
    return undefined;
  };

  scope.addEventListener('message', (e) => {
    const start = e.data as SandboxStart;
    root = start.root;
    const modules = parts.commonJS(root, start.files, builtin);
    try {
      if (start.entry.kind === 'code') {
        const value = modules.runCode(start.entry.code, start.entry.print);
        if (start.entry.print) write(out, `${fmt.inspect(value)}\n`);
      } else {
        proc.argv = ['node', `${root}/${start.entry.path}`, ...start.entry.args];
        modules.load(start.entry.path);
      }
    } catch (e) {
      uncaught(e);
      return;
    }
    settle();
  }, { once: true });
}
