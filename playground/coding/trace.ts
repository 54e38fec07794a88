// The coding demo's events, kept in IndexedDB so the panel shows the session again after a reload
// (its runs, the pending approval among them). IndexedDB rather than localStorage: a coding
// session's prompts carry whole files, and would soon outgrow localStorage's few megabytes.
// Only for looking: the run resumes from its checkpoint, never from this.
import { openDB, type IDBPDatabase } from 'idb';
import { parseJSONL, toJSONL, type Hook, type LoopEvent } from 'looplet';

export const TRACE_DB = 'looplet-playground-coding-trace';
const EVENTS = 'events';
const KEEP_CHATS = 5;

interface Row { readonly chat: string; readonly line: string }

let db: Promise<IDBPDatabase> | undefined;
const open = () => (db ??= openDB(TRACE_DB, 1, { upgrade: (d) => void d.createObjectStore(EVENTS, { autoIncrement: true }).createIndex('chat', 'chat') }));

/** A hook appending each event of chat `chat`'s runs, in order (each add is awaited by the loop). */
export function traceHook(chat: string): Hook {
  return {
    name: 'saveTrace',
    async onEvent(event: LoopEvent) {
      if (event.type === 'llm.delta') return; // the whole reply is in llm.response
      await (await open()).add(EVENTS, { chat, line: toJSONL([event]) } satisfies Row);
    },
  };
}

/** Every kept event, oldest first. */
export async function readTrace(): Promise<LoopEvent[]> {
  const rows = (await (await open()).getAll(EVENTS)) as Row[];
  return parseJSONL(rows.map((r) => r.line).join(''));
}

/** Keeps the events of the newest chats only (`chats`, oldest first). */
export async function pruneTrace(chats: readonly string[]): Promise<void> {
  const keep = new Set(chats.slice(-KEEP_CHATS));
  const tx = (await open()).transaction(EVENTS, 'readwrite');
  for (let c = await tx.store.openCursor(); c; c = await c.continue()) if (!keep.has((c.value as Row).chat)) await c.delete();
  await tx.done;
}
