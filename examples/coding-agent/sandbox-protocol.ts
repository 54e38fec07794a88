// The messages between the browser host (worker-run.ts) and its sandbox worker (sandbox-worker.ts).
// Types only: the worker's code is shipped as source text and imports nothing.

/** What to run: a workspace file (CommonJS), or code as `node -e` / `node -p` would. */
export type SandboxEntry =
  | { readonly kind: 'file'; readonly path: string; readonly args: readonly string[] }
  | { readonly kind: 'code'; readonly code: string; readonly print: boolean };

/** Host → worker, once: the workspace's files (path → text) and what to run. */
export interface SandboxStart {
  readonly root: string;
  readonly files: Readonly<Record<string, string>>;
  readonly entry: SandboxEntry;
}

/** Worker → host: the output so far (capped), sent now and then so a killed run still shows it; then the exit. */
export type SandboxReply =
  | { readonly type: 'output'; readonly stdout: string; readonly stderr: string }
  | { readonly type: 'exit'; readonly code: number; readonly stdout: string; readonly stderr: string };
