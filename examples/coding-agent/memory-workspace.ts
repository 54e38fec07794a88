// A workspace in memory: for tests, and the listing the IndexedDB workspace (idb-workspace.ts) reuses.
// Folders exist only as the folders of files, as in git.
import type { Workspace, WorkspaceEntry } from './workspace.ts';

export function memoryWorkspace(files: Record<string, string> = {}): Workspace & { readonly files: Map<string, string> } {
  const map = new Map(Object.entries(files));
  return {
    files: map,
    async list(dir) {
      const prefix = dir ? `${dir}/` : '';
      const out = new Map<string, WorkspaceEntry>();
      for (const [path, text] of map) {
        if (!path.startsWith(prefix)) continue;
        // the folders between `dir` and the file are entries too
        const parts = path.split('/');
        for (let i = prefix.split('/').length; i < parts.length; i++) {
          const d = parts.slice(0, i).join('/');
          out.set(d, { path: d, type: 'dir' });
        }
        out.set(path, { path, type: 'file', size: new TextEncoder().encode(text).length });
      }
      if (dir && out.size === 0) throw new Error(map.has(dir) ? `${dir} is a file, not a folder.` : `${dir} does not exist.`);
      return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    },
    async read(path) {
      const text = map.get(path);
      if (text === undefined) throw new Error(`${path} does not exist.`);
      return text;
    },
    async write(path, text) {
      map.set(path, text);
    },
  };
}
