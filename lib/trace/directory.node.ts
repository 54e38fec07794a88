// Provenance files in a directory (Node and Deno). Subpath: looplet/provenance-dir.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ProvenanceWriter } from './provenance.ts';

export function directoryWriter(dir: string): ProvenanceWriter {
  return {
    async write(path, content) {
      const file = join(dir, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
    },
  };
}
