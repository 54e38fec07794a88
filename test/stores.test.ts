import 'fake-indexeddb/auto';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../lib/stores/file.node.ts';
import { idbProvenanceWriter, indexedDBStore } from '../lib/stores/idb.ts';
import { ProvenanceSink } from '../lib/index.ts';
import {
  ApprovalHook, approve, CheckpointError, CheckpointHook, collect, composableLoop, kvStore, memoryStore, resumeFrom, ToolRegistry,
  type Checkpoint, type CheckpointStore, type LLMBackend,
} from '../lib/index.ts';

function mapKV() {
  const m = new Map<string, string>();
  return { m, kv: { get: async (k: string) => m.get(k), put: async (k: string, v: string) => void m.set(k, v), list: async (p: string) => [...m.keys()].filter((k) => k.startsWith(p)), delete: async (k: string) => void m.delete(k) } };
}

/** Each factory returns a store, and a way to get a fresh instance over the same data (another process). */
const factories: [string, () => Promise<{ store: CheckpointStore; reopen: () => CheckpointStore }>][] = [
  ['memoryStore', async () => { const s = memoryStore(); return { store: s, reopen: () => s }; }],
  ['kvStore', async () => { const { kv } = mapKV(); return { store: kvStore(kv), reopen: () => kvStore(kv) }; }],
  ['fileStore', async () => { const dir = await mkdtemp(join(tmpdir(), 'looplet-fs-')); return { store: fileStore(dir), reopen: () => fileStore(dir) }; }],
  ['indexedDBStore (fake-indexeddb)', async () => { const dbName = `db-${Math.random()}`; return { store: indexedDBStore({ dbName }), reopen: () => indexedDBStore({ dbName }) }; }],
];

function agent() {
  let saves = 0;
  const tools = new ToolRegistry().register({ name: 'save', description: 'Save.', parameters: { type: 'object', properties: { path: { type: 'string' } } }, execute: ({ path }) => { saves++; return { saved: path }; } });
  const llm: LLMBackend = {
    generate: async (req) => {
      const done = req.messages.some((m) => m.role === 'tool');
      return done ? { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: 'saved' } }] } : { toolCalls: [{ id: 's1', name: 'save', arguments: { path: 'out.csv' } }] };
    },
  };
  return { tools, llm, count: () => saves };
}

describe.each(factories)('%s', (_name, make) => {
  it('puts, gets, lists and deletes plain checkpoints', async () => {
    const { store } = await make();
    const { tools, llm } = agent();
    const { outcome } = await collect(composableLoop({ llm, tools, task: 't', runId: 'r1', hooks: [new ApprovalHook({ tools: ['save'] })] }));
    await store.put('r1', outcome.checkpoint!);
    expect(await store.get('r1')).toEqual(JSON.parse(JSON.stringify(outcome.checkpoint)));
    expect(await store.get('nope')).toBeUndefined();
    expect(await store.list()).toEqual(['r1']);
    await store.delete('r1');
    expect(await store.list()).toEqual([]);
  });

  it('carries a paused run to another instance, which resumes it: the tool runs once', async () => {
    const { store, reopen } = await make();
    const { tools, llm, count } = agent();
    const hooks = (s: CheckpointStore) => [new ApprovalHook({ tools: ['save'] }), new CheckpointHook({ store: s, runId: 'job-7' })];
    const first = await collect(composableLoop({ llm, tools, task: 'Save it.', hooks: hooks(store) }));
    expect(first.outcome.status).toBe('paused');
    const other = reopen();
    const { outcome } = await collect(resumeFrom(other, 'job-7', { llm, tools, hooks: hooks(other), decisions: { s1: approve() } }));
    expect(outcome).toMatchObject({ status: 'done', answer: 'saved' });
    expect(count()).toBe(1);
    expect((await other.get('job-7'))!.status).toBe('done');
  });
});

describe('stores and corrupt data', () => {
  it('a corrupt checkpoint file is a clear error, never a silent restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'looplet-fs-'));
    await writeFile(join(dir, 'bad.json'), '{"v":1,');
    const { tools, llm } = agent();
    await expect(fileStore(dir).get('bad')).rejects.toThrow(CheckpointError);
    await expect(collect(resumeFrom(fileStore(dir), 'bad', { llm, tools }))).rejects.toThrow(/not valid JSON/);
    await writeFile(join(dir, 'old.json'), '{"v":0,"runId":"old"}');
    await expect(collect(resumeFrom(fileStore(dir), 'old', { llm, tools }))).rejects.toThrow(/version 0 is not one this looplet reads/);
  });

  it('fileStore writes atomically (no temp files left) and refuses run ids that are not file names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'looplet-fs-'));
    const store = fileStore(dir);
    const { tools, llm } = agent();
    await collect(composableLoop({ llm, tools, task: 't', hooks: [new CheckpointHook({ store, runId: 'a' })] }));
    expect(await readdir(dir)).toEqual(['a.json']);
    await expect(store.get('../etc/passwd')).rejects.toThrow(/cannot be a file name/);
  });
});

describe('provenance into IndexedDB', () => {
  it('writes every provenance file to IndexedDB (fake-indexeddb)', async () => {
    const writer = idbProvenanceWriter({ dbName: `prov-${Math.random()}`, prefix: 'run-1/' });
    const { tools, llm } = agent();
    await collect(composableLoop({ llm, tools, task: 't', hooks: [new ProvenanceSink({ writer })] }));
    expect(await writer.read('run.json')).toContain('"status": "done"');
    expect(await writer.read('steps/001-prompt.md')).toContain('# user\n\nt');
    expect(await writer.read('trace.jsonl')).toContain('"type":"run.end"');
  });
});

describe('checkpoint serialisation', () => {
  it('checkpointJSON equals JSON.stringify in content, and reuses the JSON of messages already written', async () => {
    const { checkpointJSON } = await import('../lib/loop/checkpoint.ts');
    const { tools, llm } = agent();
    const seen: string[] = [];
    await collect(composableLoop({ llm, tools, task: 't', hooks: [{ onCheckpoint: (cp) => void seen.push(checkpointJSON(cp)) }, { onCheckpoint: (cp) => void seen.push(JSON.stringify(cp)) }] }));
    for (let i = 0; i < seen.length; i += 2) expect(JSON.parse(seen[i]!)).toEqual(JSON.parse(seen[i + 1]!));
  });

  it('checkpointJSON stays exact when a conversation grows, is compacted, forks, or its array is changed in place', async () => {
    const { checkpointJSON } = await import('../lib/loop/checkpoint.ts');
    const { tools, llm } = agent();
    let cp: Checkpoint | undefined;
    await collect(composableLoop({ llm, tools, task: 't', hooks: [{ onCheckpoint: (c) => { cp = c; } }] }));
    const same = (c: Checkpoint) => expect(JSON.parse(checkpointJSON(c))).toEqual(JSON.parse(JSON.stringify(c)));
    const msgs = [...cp!.messages];
    const grown = (n: number) => ({ ...cp!, messages: msgs.slice(0, n) });
    for (let n = 1; n <= msgs.length; n++) same(grown(n)); // grows one message at a time
    same(grown(2)); // shorter again
    same({ ...cp!, messages: [msgs[0]!, { role: 'user', content: '[compacted]' }, ...msgs.slice(3)] }); // compacted, same first message
    same({ ...cp!, messages: [msgs[0]!, { role: 'user', content: 'a fork' }] });
    const live = msgs.slice();
    same({ ...cp!, messages: live });
    live.push({ role: 'user', content: 'pushed after the write' });
    live[1] = { role: 'user', content: 'replaced after the write' };
    same({ ...cp!, messages: live });
    const big = Array.from({ length: 20_000 }, (_, i) => ({ role: 'user' as const, content: `m${i}` }));
    for (let n = 1; n <= big.length; n += 1 + (n % 7)) checkpointJSON({ ...cp!, messages: big.slice(0, n) });
    same({ ...cp!, messages: big }); // a 20,000-message rope flattens
  });
});
