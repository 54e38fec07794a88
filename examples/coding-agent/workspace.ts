// What the coding agent works on, as interfaces a host fills in: the terminal host with the file
// system and a shell (workspace.node.ts, run.node.ts); a browser host with OPFS / IndexedDB and a
// Web Worker. No Node built-ins here, so the agent definition stays portable.

export interface WorkspaceEntry {
  /** Relative to the workspace root, with '/' separators. */
  readonly path: string;
  readonly type: 'file' | 'dir';
  /** Bytes, for files. */
  readonly size?: number;
}

/** A folder of text files. Paths are relative to its root and already checked by `workspacePath`. */
export interface Workspace {
  /** Every entry under `dir` ('' is the root), recursively, sorted by path. */
  list(dir: string): Promise<WorkspaceEntry[]>;
  /** A file's text; throws when it does not exist. */
  read(path: string): Promise<string>;
  /** Creates or replaces a file, and the folders it needs. */
  write(path: string, text: string): Promise<void>;
}

export interface RunResult {
  /** null when the command was killed (timeout, abort). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut?: boolean;
}

/** Runs a shell command in the workspace root, within `timeoutMs`, stopped early by `signal`. */
export type RunCommand = (command: string, options: { readonly timeoutMs: number; readonly signal: AbortSignal }) => Promise<RunResult>;

/**
 * A model's path as a clean relative one ('' for the root), or an error saying why it is refused:
 * absolute paths outside `root`, '~', and '..' that climbs above the root. Pure string work, so
 * every host refuses exactly the same paths before touching anything.
 */
export function workspacePath(path: string, root = ''): string {
  let p = path.replace(/\\/g, '/').trim();
  if (p.includes('\0')) throw new Error(`${JSON.stringify(path)}: a path cannot hold a NUL character.`);
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
  if (base && (p === base || p.startsWith(`${base}/`))) p = p.slice(base.length + 1); // the root's own absolute path is fine
  else if (p.startsWith('/') || p.startsWith('~') || /^[A-Za-z]:/.test(p)) {
    throw new Error(`${path}: outside the workspace. Use a path relative to the workspace root.`);
  }
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg !== '..') parts.push(seg);
    else if (parts.pop() === undefined) throw new Error(`${path}: escapes the workspace with "..". Use a path inside it.`);
  }
  return parts.join('/');
}

/** The workspace with every write made slow: a demo and test aid (a crash mid-write is then easy to cause). */
export function slowWrites(ws: Workspace, delayMs: number): Workspace {
  if (!(delayMs > 0)) return ws;
  return {
    list: (dir) => ws.list(dir),
    read: (path) => ws.read(path),
    write: async (path, text) => {
      await new Promise((ok) => setTimeout(ok, delayMs));
      await ws.write(path, text);
    },
  };
}
