import { checkpointJSON, type Checkpoint } from '../loop/checkpoint.ts';
import { CheckpointError } from '../loop/refusals.ts';
import type { CheckpointStore } from './types.ts';

/** The smallest key-value shape: strings in, strings out. */
export interface KVLike {
  get(key: string): Promise<string | null | undefined>;
  put(key: string, value: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}

/** Checkpoints in any key-value namespace, as JSON under `prefix + runId`. */
export function kvStore(kv: KVLike, { prefix = 'looplet:' }: { prefix?: string } = {}): CheckpointStore {
  return {
    async get(runId) {
      const text = await kv.get(prefix + runId);
      if (text === null || text === undefined) return undefined;
      try {
        return JSON.parse(text) as Checkpoint;
      } catch (err) {
        throw new CheckpointError(`The checkpoint of run ${runId} is not valid JSON (${(err as Error).message}).`);
      }
    },
    put: (runId, checkpoint) => kv.put(prefix + runId, checkpointJSON(checkpoint)),
    async list() {
      return (await kv.list(prefix)).map((k) => k.slice(prefix.length));
    },
    delete: (runId) => kv.delete(prefix + runId),
  };
}

/** The parts of a Cloudflare KV namespace binding used here. */
export interface CloudflareKVNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix: string; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}

export function cloudflareKV(ns: CloudflareKVNamespace): KVLike {
  return {
    get: (k) => ns.get(k),
    put: (k, v) => ns.put(k, v),
    delete: (k) => ns.delete(k),
    async list(prefix) {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ns.list({ prefix, ...(cursor ? { cursor } : {}) });
        names.push(...page.keys.map((k) => k.name));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return names;
    },
  };
}
