// Checkpoints in a Cloudflare Durable Object's own storage (`this.ctx.storage`): `kvStore` over a
// key-value view of it. A stored value is capped (2 MB in SQLite-backed objects), so a value is
// cut into parts under fixed keys, and a small head says how many there are and which write they
// belong to.
import { CheckpointError } from '../loop/refusals.ts';
import { kvStore, type KVLike } from './kv.ts';
import type { CheckpointStore } from './types.ts';

/** The parts of Cloudflare's `DurableObjectStorage` used here (declared here: lib/ depends on no Workers types). */
export interface DurableObjectStorageLike {
  get(keys: string[]): Promise<Map<string, unknown>>;
  put(entries: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<number>;
  list(options: { prefix: string }): Promise<Map<string, unknown>>;
}

export interface DurableObjectStoreOptions {
  /** Prepended to every run id (default `looplet:`), so the object can keep its own keys beside the checkpoints. */
  prefix?: string;
  /** Characters per stored part (default 512 Ki). Only an object on the older key-value backend (128 KiB values) needs less: 32 Ki. */
  partChars?: number;
}

interface Head {
  readonly parts: number;
  /** Unique per write: a reader whose parts span two writes sees it change and reads again. */
  readonly write: string;
}

// A string is stored as Latin-1 or UTF-16: at most 2 bytes a char (3 were it UTF-8), so 512 Ki
// chars are at most 1.5 MiB, under the 2 MB value limit whatever the text.
const PART_CHARS = 512 * 1024;
// get, put and delete take at most 128 keys a call.
const BATCH = 128;

const batches = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));
const isHead = (v: unknown): v is Head => !!v && typeof v === 'object' && Number.isInteger((v as Head).parts) && (v as Head).parts > 0 && typeof (v as Head).write === 'string';

export function durableObjectStore(storage: DurableObjectStorageLike, { prefix, partChars = PART_CHARS }: DurableObjectStoreOptions = {}): CheckpointStore {
  if (!Number.isInteger(partChars) || partChars < 1) throw new RangeError('durableObjectStore: partChars must be a positive integer.');
  return kvStore(partsKV(storage, partChars), prefix === undefined ? {} : { prefix });
}

/** Strings of any length in Durable Object storage: heads under `h:<key>`, parts under `p:<key>:<i>`. */
function partsKV(storage: DurableObjectStorageLike, partChars: number): KVLike {
  const head = (key: string) => `h:${key}`;
  // the index is the last `:` field, so no two (key, index) pairs share a storage key
  const part = (key: string, i: number) => `p:${key}:${i}`;
  const parts = (key: string, from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => part(key, from + i));
  const corrupt = (key: string, why: string) => new CheckpointError(`The value under ${key} in Durable Object storage is ${why}.`);

  /** How many parts the stored value has (0: none, or a head this store did not write). */
  const partCount = async (key: string): Promise<number> => {
    const v = (await storage.get([head(key)])).get(head(key));
    return isHead(v) ? v.parts : 0;
  };

  return {
    /** The parts read in batches that each re-read the head: all of them from one write, or none. */
    async get(key) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const first = await storage.get([head(key), part(key, 0)]);
        const h = first.get(head(key));
        if (h === undefined) return undefined;
        if (!isHead(h)) throw corrupt(key, 'not one this store wrote');
        const texts: unknown[] = [first.get(part(key, 0))];
        let same = true;
        for (const keys of batches(parts(key, 1, h.parts))) {
          const got = await storage.get([head(key), ...keys]);
          if ((got.get(head(key)) as Head | undefined)?.write !== h.write) { same = false; break; }
          texts.push(...keys.map((k) => got.get(k)));
        }
        if (!same) continue; // written meanwhile: read the new one
        if (!texts.every((t) => typeof t === 'string')) throw corrupt(key, `missing parts (${h.parts} expected)`);
        return texts.join('');
      }
      throw corrupt(key, 'rewritten during every read');
    },
    async put(key, text) {
      const old = await partCount(key);
      const n = Math.max(1, Math.ceil(text.length / partChars));
      const entries: [string, unknown][] = parts(key, 0, n).map((k, i) => [k, text.slice(i * partChars, (i + 1) * partChars)]);
      entries.push([head(key), { parts: n, write: crypto.randomUUID() } satisfies Head]);
      // Writes issued with no await between them commit as one (Durable Objects coalesce them):
      // the parts, the head and the removal of a longer value's surplus parts land together.
      await Promise.all([...batches(entries).map((b) => storage.put(Object.fromEntries(b))), ...batches(parts(key, n, old)).map((b) => storage.delete(b))]);
    },
    async list(prefix) {
      return [...(await storage.list({ prefix: head(prefix) })).keys()].map((k) => k.slice(2));
    },
    async delete(key) {
      const n = await partCount(key);
      await Promise.all(batches([head(key), ...parts(key, 0, n)]).map((b) => storage.delete(b)));
    },
  };
}
