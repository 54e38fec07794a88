// Checkpoints in Deno KV: values over its 64 KiB cap are split into chunks, written so that a
// reader sees the old value or the new one, never a mix.
import { CheckpointError } from '../loop/refusals.ts';
import type { KVLike } from './kv.ts';

/** A Deno KV key as looplet writes it; `Deno.KvKey` accepts it. */
export type DenoKvKey = readonly (string | number)[];

/**
 * The parts of a `Deno.Kv` used here, structurally, so a real `Deno.Kv` is assignable under
 * `deno check` without this file depending on Deno's types. Method syntax on purpose: its
 * parameters are compared bivariantly, so `{ prefix: DenoKvKey }` fits `Deno.KvListSelector`.
 */
export interface DenoKvLike {
  get(key: DenoKvKey): Promise<{ value: unknown; versionstamp: string | null }>;
  list(selector: { prefix: DenoKvKey }): AsyncIterable<{ key: readonly unknown[] }>;
  atomic(): DenoAtomicLike;
}

/** The parts of a `Deno.AtomicOperation` used here. */
export interface DenoAtomicLike {
  check(...checks: { key: DenoKvKey; versionstamp: string | null }[]): DenoAtomicLike;
  set(key: DenoKvKey, value: unknown): DenoAtomicLike;
  delete(key: DenoKvKey): DenoAtomicLike;
  commit(): Promise<{ ok: boolean }>;
}

// Deno KV's limits (denokv): a value ≤ 65536 bytes; one atomic commit ≤ 1000 mutations,
// ≤ 819200 bytes of keys and values, ≤ 81920 bytes of keys; a key ≤ 2048 bytes.
const INLINE_CHARS = 32_000; // ≤ 32000 UTF-16 units serialize to < 64 KiB, whatever the characters
const CHUNK_BYTES = 60 * 1024;
const COMMIT_BYTES = 760_000;
const COMMIT_KEY_BYTES = 70_000;
const COMMIT_MUTATIONS = 900;
const ATTEMPTS = 20; // tries to flip a head other writers keep replacing

/** What the head entry holds for a value stored in chunks: which chunks, and how many bytes. */
interface ChunkHead {
  readonly kind: 'looplet.chunks';
  readonly v: 1;
  readonly id: string;
  readonly n: number;
  readonly bytes: number;
}

type Mutation =
  | { readonly op: 'set'; readonly key: DenoKvKey; readonly value: unknown; readonly check?: string | null }
  | { readonly op: 'delete'; readonly key: DenoKvKey };

/**
 * Deno KV keys are tuples: ['looplet', key] holds the value — a string as it is when small (as
 * earlier versions wrote every value), otherwise a head naming its chunks. Chunks are UTF-8
 * bytes under ['looplet-chunks', key, id, i], apart so that `list` never reads them. A write
 * puts the chunks under a fresh id, then flips the head (checked against the head it read, so
 * concurrent writers leave no orphans) and drops the old chunks: a reader sees the old value or
 * the new one, never a mix. A value that fits one commit (about 740 KiB) is a single atomic commit.
 */
export function denoKV(kv: DenoKvLike): KVLike {
  const head = (k: string): DenoKvKey => ['looplet', k];
  const where = (k: string) => `['looplet', ${JSON.stringify(k)}]`;
  const chunksOf = (k: string, value: unknown): DenoKvKey[] =>
    isChunkHead(value) ? Array.from({ length: value.n }, (_, i) => ['looplet-chunks', k, value.id, i]) : [];

  return {
    async get(k) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const h = await kv.get(head(k));
        if (typeof h.value === 'string') return h.value;
        if (!isChunkHead(h.value)) {
          if (!isTagged(h.value)) return null; // absent, or not looplet's
          throw new CheckpointError(`Deno KV: the head entry under ${where(k)} is malformed.`);
        }
        const parts = await Promise.all(chunksOf(k, h.value).map(async (key) => (await kv.get(key)).value));
        const missing = parts.findIndex((p) => !(p instanceof Uint8Array));
        if (missing < 0) return joinChunks(parts as Uint8Array[], h.value.bytes, where(k));
        // A writer may have replaced the value, and dropped these chunks, since the head was read.
        if ((await kv.get(head(k))).versionstamp !== h.versionstamp) continue;
        throw new CheckpointError(`Deno KV: the value under ${where(k)} is torn: chunk ${missing + 1} of ${h.value.n} (version ${h.value.id}) is missing.`);
      }
      throw new CheckpointError(`Deno KV: the value under ${where(k)} kept changing while it was read.`);
    },
    async put(k, v) {
      let unwritten: Mutation[] = [];
      const written: Mutation[] = [];
      let value: string | ChunkHead = v;
      if (v.length > INLINE_CHARS) {
        const bytes = new TextEncoder().encode(v);
        value = { kind: 'looplet.chunks', v: 1, id: crypto.randomUUID(), n: Math.ceil(bytes.length / CHUNK_BYTES), bytes: bytes.length };
        for (const [i, key] of chunksOf(k, value).entries()) unwritten.push({ op: 'set', key, value: bytes.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES) });
      }
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const old = await kv.get(head(k));
        const flip: Mutation = { op: 'set', key: head(k), value, check: old.versionstamp };
        const commits = pack([...unwritten, flip, ...chunksOf(k, old.value).map((key): Mutation => ({ op: 'delete', key }))]);
        const refused = await commitEach(kv, commits);
        if (refused < 0) return;
        // Another writer flipped the head first: keep the chunks already written (their id is ours), read the head again.
        const done = commits.slice(0, refused).flat();
        written.push(...done);
        unwritten = unwritten.filter((m) => !done.includes(m));
      }
      await commitEach(kv, pack(written.map((m): Mutation => ({ op: 'delete', key: m.key }))));
      throw new Error(`Deno KV: could not write ${where(k)}: other writers kept replacing it.`);
    },
    async delete(k) {
      // The head first, so a reader sees "absent" rather than a torn value; then every chunk, a crashed write's too.
      const drops: Mutation[] = [{ op: 'delete', key: head(k) }];
      for await (const e of kv.list({ prefix: ['looplet-chunks', k] })) drops.push({ op: 'delete', key: e.key as DenoKvKey });
      await commitEach(kv, pack(drops));
    },
    async list(prefix) {
      const out: string[] = [];
      for await (const e of kv.list({ prefix: ['looplet'] })) {
        const name = e.key[1];
        if (e.key.length === 2 && typeof name === 'string' && name.startsWith(prefix)) out.push(name);
      }
      return out;
    },
  };
}

function isTagged(value: unknown): value is { kind: unknown } {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'looplet.chunks';
}

function isChunkHead(value: unknown): value is ChunkHead {
  if (!isTagged(value)) return false;
  const { v, id, n, bytes } = value as Partial<ChunkHead>;
  return v === 1 && typeof id === 'string' && typeof n === 'number' && Number.isSafeInteger(n) && n > 0 && typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes >= 0;
}

function joinChunks(parts: readonly Uint8Array[], bytes: number, where: string): string {
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total !== bytes) throw new CheckpointError(`Deno KV: the value under ${where} is torn: its chunks hold ${total} bytes, its head says ${bytes}.`);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder().decode(all);
}

/** An upper bound of a key's encoded size (each part: its bytes, a type tag, a terminator, some escapes). */
function keyBytes(key: DenoKvKey): number {
  return key.reduce<number>((n, part) => n + (typeof part === 'string' ? new TextEncoder().encode(part).length + 8 : 10), 0);
}

function valueBytes(m: Mutation): number {
  if (m.op === 'delete') return 0;
  if (m.value instanceof Uint8Array) return m.value.length + 16;
  if (typeof m.value === 'string') return m.value.length * 2 + 16;
  return 512; // a chunk head
}

/** Mutations, in order, split into commits that each stay within Deno KV's per-commit limits. */
function pack(mutations: readonly Mutation[]): Mutation[][] {
  const commits: Mutation[][] = [];
  let batch: Mutation[] = [];
  let bytes = 0;
  let keys = 0;
  for (const m of mutations) {
    const kb = keyBytes(m.key);
    const vb = valueBytes(m);
    if (batch.length && (batch.length >= COMMIT_MUTATIONS || bytes + kb + vb > COMMIT_BYTES || keys + kb > COMMIT_KEY_BYTES)) {
      commits.push(batch);
      batch = [];
      bytes = keys = 0;
    }
    batch.push(m);
    bytes += kb + vb;
    keys += kb;
  }
  if (batch.length) commits.push(batch);
  return commits;
}

/** Commits each batch in turn; returns the index of the first one whose check failed, or -1. */
async function commitEach(kv: DenoKvLike, commits: readonly (readonly Mutation[])[]): Promise<number> {
  for (const [i, batch] of commits.entries()) {
    const op = kv.atomic();
    for (const m of batch) {
      if (m.op === 'delete') op.delete(m.key);
      else {
        if (m.check !== undefined) op.check({ key: m.key, versionstamp: m.check });
        op.set(m.key, m.value);
      }
    }
    if (!(await op.commit()).ok) return i;
  }
  return -1;
}
