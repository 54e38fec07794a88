// Checkpoints in IndexedDB, for browsers: a paused run survives a page reload.
// Subpath: looplet/idb — the only entry that imports `idb` (an optional peer dependency).
import { openDB, type IDBPDatabase } from 'idb';
import { checkpointJSON, type Checkpoint } from '../loop/checkpoint.ts';
import type { CheckpointStore } from './types.ts';

const STORE = 'checkpoints';

/** One record per run id in the `checkpoints` object store of database `dbName` (structured clone, no JSON round trip). */
export function indexedDBStore({ dbName = 'looplet' }: { dbName?: string } = {}): CheckpointStore & { close(): Promise<void> } {
  let db: Promise<IDBPDatabase> | undefined;
  const open = () =>
    (db ??= openDB(dbName, 1, {
      upgrade(d) {
        if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE);
      },
    }));
  return {
    async get(runId) {
      return (await (await open()).get(STORE, runId)) as Checkpoint | undefined;
    },
    async put(runId, checkpoint) {
      // Through JSON: tool data that cannot be cloned (functions, class instances) must not fail the write;
      // and any value is taken (whether it is a checkpoint is for the read to say).
      await (await open()).put(STORE, JSON.parse(checkpointJSON(checkpoint)) as unknown, runId);
    },
    async list() {
      return ((await (await open()).getAllKeys(STORE)) as IDBValidKey[]).map(String);
    },
    async delete(runId) {
      await (await open()).delete(STORE, runId);
    },
    async close() {
      if (db) (await db).close();
      db = undefined;
    },
  };
}

/** A ProvenanceSink writer into IndexedDB: one record per file path, under `<runPrefix>/<path>`. */
export function idbProvenanceWriter({ dbName = 'looplet-provenance', prefix = '' }: { dbName?: string; prefix?: string } = {}): { write(path: string, content: string): Promise<void>; read(path: string): Promise<string | undefined> } {
  let db: Promise<IDBPDatabase> | undefined;
  const open = () => (db ??= openDB(dbName, 1, { upgrade(d) { if (!d.objectStoreNames.contains('files')) d.createObjectStore('files'); } }));
  return {
    async write(path: string, content: string) {
      await (await open()).put('files', content, prefix + path);
    },
    async read(path: string): Promise<string | undefined> {
      return (await (await open()).get('files', prefix + path)) as string | undefined;
    },
  };
}
