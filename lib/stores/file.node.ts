// Checkpoints as JSON files, for Node and Deno (both speak node:fs). Subpath: looplet/file-store.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointJSON, type Checkpoint } from '../loop/checkpoint.ts';
import { CheckpointError } from '../loop/refusals.ts';
import type { CheckpointStore } from './types.ts';

/** One `<runId>.json` per run in `dir`, written atomically (temp file, then rename), so a crash mid-write leaves the previous checkpoint. */
export function fileStore(dir: string): CheckpointStore {
  const file = (runId: string) => {
    if (!/^[\w.-]{1,200}$/.test(runId) || runId.startsWith('.')) throw new CheckpointError(`Run id ${JSON.stringify(runId)} cannot be a file name.`);
    return join(dir, `${runId}.json`);
  };
  let ready: Promise<unknown> | undefined;
  return {
    async get(runId) {
      let text: string;
      try {
        text = await readFile(file(runId), 'utf8');
      } catch (err) {
        if ((err as { code?: string }).code === 'ENOENT') return undefined;
        throw err;
      }
      try {
        return JSON.parse(text) as Checkpoint;
      } catch (err) {
        throw new CheckpointError(`The checkpoint file of run ${runId} is not valid JSON (${(err as Error).message}).`);
      }
    },
    async put(runId, checkpoint) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const target = file(runId);
      const tmp = `${target}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, checkpointJSON(checkpoint));
      await rename(tmp, target);
    },
    async list() {
      try {
        return (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
      } catch (err) {
        if ((err as { code?: string }).code === 'ENOENT') return [];
        throw err;
      }
    },
    async delete(runId) {
      await rm(file(runId), { force: true });
    },
  };
}
