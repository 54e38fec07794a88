// A browser workspace in the Origin Private File System: a folder of this origin's private
// storage, kept across reloads, invisible to the user's own files. Paths arrive already checked
// by `workspacePath`, so each segment is a plain name.
import type { Workspace, WorkspaceEntry } from './workspace.ts';

/** OPFS with writable files from the page (not only from workers), or false. */
export function opfsAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function'
    && typeof FileSystemFileHandle !== 'undefined' && 'createWritable' in FileSystemFileHandle.prototype;
}

/** The folder `name` at the top of this origin's OPFS, created when missing. */
export async function opfsWorkspace(name = 'looplet-coding-workspace'): Promise<Workspace & { clear(): Promise<void> }> {
  const top = await navigator.storage.getDirectory();
  const root = await top.getDirectoryHandle(name, { create: true });

  /** The folder holding `parts` (all but the last), created on the way when `create`. */
  async function folder(parts: readonly string[], create: boolean, path: string): Promise<FileSystemDirectoryHandle> {
    let dir = root;
    for (const p of parts) dir = await dir.getDirectoryHandle(p, { create }).catch((err: unknown) => { throw fsError(err, path, `${path}: a part of it is a file, not a folder.`); });
    return dir;
  }

  async function walk(dir: FileSystemDirectoryHandle, prefix: string, out: WorkspaceEntry[]): Promise<void> {
    for await (const h of dir.values()) {
      const path = prefix ? `${prefix}/${h.name}` : h.name;
      if (h.kind === 'directory') {
        out.push({ path, type: 'dir' });
        await walk(h as FileSystemDirectoryHandle, path, out);
      } else {
        out.push({ path, type: 'file', size: (await (h as FileSystemFileHandle).getFile()).size });
      }
    }
  }

  return {
    async list(dir) {
      const out: WorkspaceEntry[] = [];
      const parts = dir ? dir.split('/') : [];
      const last = parts.pop();
      let at = await folder(parts, false, dir);
      if (last !== undefined) at = await at.getDirectoryHandle(last).catch((err: unknown) => { throw fsError(err, dir, `${dir} is a file, not a folder.`); });
      await walk(at, dir, out);
      return out.sort((a, b) => (a.path < b.path ? -1 : 1));
    },
    async read(path) {
      const parts = path.split('/');
      const dir = await folder(parts.slice(0, -1), false, path);
      const file = await dir.getFileHandle(parts.at(-1)!).catch((err: unknown) => { throw fsError(err, path, `${path} is a folder: use list.`); });
      return (await file.getFile()).text();
    },
    async write(path, text) {
      const parts = path.split('/');
      const dir = await folder(parts.slice(0, -1), true, path);
      const file = await dir.getFileHandle(parts.at(-1)!, { create: true }).catch((err: unknown) => { throw fsError(err, path, `${path} is a folder: give a file path.`); });
      const w = await file.createWritable(); // written to a swap file, swapped in on close: a reload mid-write keeps the old text
      await w.write(text);
      await w.close();
    },
    async clear() {
      for await (const name of root.keys()) await root.removeEntry(name, { recursive: true });
    },
  };
}

/** The same messages the terminal's workspace gives, for the model to read. */
function fsError(err: unknown, path: string, mismatch: string): Error {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotFoundError') return new Error(`${path} does not exist.`);
  if (name === 'TypeMismatchError') return new Error(mismatch);
  return err instanceof Error ? err : new Error(String(err));
}
