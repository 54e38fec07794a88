// `--trace DIR`: the session's JSONL trace (DIR/trace.jsonl, every process of the session appended
// as it runs, so a crash keeps what happened) and each process's provenance record
// (DIR/provenance/01/, 02/…: every prompt as the model saw it, every raw reply).
import { appendFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ProvenanceSink, toJSONL, type Hook } from 'looplet';
import { directoryWriter } from 'looplet/provenance-dir';

/** Hooks that record this process's part of the session. `fresh`: a new session, so earlier records go. */
export async function traceHooks(dir: string, fresh: boolean): Promise<Hook[]> {
  const file = join(dir, 'trace.jsonl');
  if (fresh) {
    await rm(file, { force: true });
    await rm(join(dir, 'provenance'), { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  const n = (await readdir(join(dir, 'provenance')).catch(() => [])).length + 1;
  let written = Promise.resolve();
  const session: Hook = {
    name: 'SessionTrace',
    // Streamed pieces are left out: the whole reply is in `llm.response`, and a token per line would swamp the file.
    onEvent: (e) => {
      if (e.type === 'llm.delta') return;
      written = written.then(() => appendFile(file, toJSONL([e])));
      return written;
    },
  };
  return [session, new ProvenanceSink({ writer: directoryWriter(join(dir, 'provenance', String(n).padStart(2, '0'))) })];
}
