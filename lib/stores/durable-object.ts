// Checkpoints in a Cloudflare Durable Object's own storage (`this.ctx.storage`). A stored value
// is capped (2 MB in SQLite-backed objects), so a checkpoint's JSON is cut into parts under fixed
// keys, and a small head says how many there are and which write they belong to.
import { checkpointJSON, type Checkpoint } from '../loop/checkpoint.ts';
import { CheckpointError } from '../loop/refusals.ts';
import type { CheckpointStore } from './types.ts';

/** The parts of Cloudflare's `DurableObjectStorage` used here (declared here: lib/ depends on no Workers types). */
export interface DurableObjectStorageLike {
  get(keys: string[]): Promise<Map<string, unknown>>;
  put(entries: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<number>;
  list(options: { prefix: string }): Promise<Map<string, unknown>>;
}

export interface DurableObjectStoreOptions {
  /** Prepended to every key (default `looplet:`), so the object can keep its own keys beside the checkpoints. */
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

export function durableObjectStore(storage: DurableObjectStorageLike, { prefix = 'looplet:', partChars = PART_CHARS }: DurableObjectStoreOptions = {}): CheckpointStore {
  if (!Number.isInteger(partChars) || partChars < 1) throw new RangeError('durableObjectStore: partChars must be a positive integer.');
  const head = (runId: string) => `${prefix}run:${runId}`;
  // the index is the last `:` field, so no two (runId, index) pairs share a key
  const part = (runId: string, i: number) => `${prefix}part:${runId}:${i}`;
  const parts = (runId: string, from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => part(runId, from + i));
  const corrupt = (runId: string, why: string) => new CheckpointError(`The checkpoint of run ${runId} in Durable Object storage is ${why}.`);

  /** How many parts the stored checkpoint has (0: none, or a head this store did not write). */
  const partCount = async (runId: string): Promise<number> => {
    const v = (await storage.get([head(runId)])).get(head(runId));
    return isHead(v) ? v.parts : 0;
  };

  /** The JSON text, its parts read in batches that each re-read the head: all of them from one write, or none. */
  const readText = async (runId: string): Promise<string | undefined> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const first = await storage.get([head(runId), part(runId, 0)]);
      const h = first.get(head(runId));
      if (h === undefined) return undefined;
      if (!isHead(h)) throw corrupt(runId, 'not one this store wrote');
      const texts: unknown[] = [first.get(part(runId, 0))];
      let same = true;
      for (const keys of batches(parts(runId, 1, h.parts))) {
        const got = await storage.get([head(runId), ...keys]);
        if ((got.get(head(runId)) as Head | undefined)?.write !== h.write) { same = false; break; }
        texts.push(...keys.map((k) => got.get(k)));
      }
      if (!same) continue; // written meanwhile: read the new one
      if (!texts.every((t) => typeof t === 'string')) throw corrupt(runId, `missing parts (${h.parts} expected)`);
      return texts.join('');
    }
    throw corrupt(runId, 'rewritten during every read');
  };

  return {
    async get(runId) {
      const text = await readText(runId);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as Checkpoint;
      } catch (err) {
        throw new CheckpointError(`The checkpoint of run ${runId} is not valid JSON (${(err as Error).message}).`);
      }
    },
    async put(runId, checkpoint) {
      const text = checkpointJSON(checkpoint);
      const old = await partCount(runId);
      const n = Math.max(1, Math.ceil(text.length / partChars));
      const entries: [string, unknown][] = parts(runId, 0, n).map((k, i) => [k, text.slice(i * partChars, (i + 1) * partChars)]);
      entries.push([head(runId), { parts: n, write: crypto.randomUUID() } satisfies Head]);
      // Writes issued with no await between them commit as one (Durable Objects coalesce them):
      // the parts, the head and the removal of a longer checkpoint's surplus parts land together.
      const done = [...batches(entries).map((b) => storage.put(Object.fromEntries(b))), ...batches(parts(runId, n, old)).map((b) => storage.delete(b))];
      await Promise.all(done);
    },
    async list() {
      const keys = [...(await storage.list({ prefix: `${prefix}run:` })).keys()];
      return keys.map((k) => k.slice(prefix.length + 4));
    },
    async delete(runId) {
      const n = await partCount(runId);
      await Promise.all(batches([head(runId), ...parts(runId, 0, n)]).map((b) => storage.delete(b)));
    },
  };
}
