// The run's events, kept in IndexedDB beside the checkpoints, so the devtools panel shows the
// steps again after a reload. A checkpoint is what a run resumes from; this is only for looking.
import { openDB } from 'idb';
import { parseJSONL, toJSONL, type Hook, type LoopEvent } from 'looplet';

const EVENTS = 'events';
let db: ReturnType<typeof openDB> | undefined;
const open = () => (db ??= openDB('looplet-example-trace', 1, { upgrade: (d) => void d.createObjectStore(EVENTS, { autoIncrement: true }) }));

/** A hook that appends every event (as its JSONL line: no structured-clone surprises). */
export const traceHook: Hook = {
  name: 'saveTrace',
  async onEvent(event: LoopEvent) {
    await (await open()).add(EVENTS, toJSONL([event]));
  },
};

export async function readTrace(): Promise<LoopEvent[]> {
  const lines = (await (await open()).getAll(EVENTS)) as string[];
  return parseJSONL(lines.join(''));
}

export async function clearTrace(): Promise<void> {
  await (await open()).clear(EVENTS);
}
