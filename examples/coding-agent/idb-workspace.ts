// A browser workspace in IndexedDB, for browsers without a writable OPFS: one record per file
// (path → text). Folders exist only as the folders of files, as in memory-workspace.ts, whose
// listing it reuses.
import { openDB, type IDBPDatabase } from 'idb';
import { memoryWorkspace } from './memory-workspace.ts';
import type { Workspace } from './workspace.ts';

const FILES = 'files';

export function idbWorkspace(dbName = 'looplet-coding-workspace'): Workspace & { clear(): Promise<void> } {
  let db: Promise<IDBPDatabase> | undefined;
  const open = () => (db ??= openDB(dbName, 1, { upgrade: (d) => void d.createObjectStore(FILES) }));

  /** Every file, as a memory workspace: the listing and its errors are then the same as in memory. */
  async function snapshot(): Promise<Workspace> {
    const tx = (await open()).transaction(FILES);
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    return memoryWorkspace(Object.fromEntries(keys.map((k, i) => [String(k), String(values[i])])));
  }

  return {
    list: async (dir) => (await snapshot()).list(dir),
    async read(path) {
      const text: unknown = await (await open()).get(FILES, path);
      if (typeof text === 'string') return text;
      const isFolder = (await (await open()).getAllKeys(FILES)).some((k) => String(k).startsWith(`${path}/`));
      throw new Error(isFolder ? `${path} is a folder: use list.` : `${path} does not exist.`);
    },
    async write(path, text) {
      await (await open()).put(FILES, text, path);
    },
    async clear() {
      await (await open()).clear(FILES);
    },
  };
}
