// The `grep` tool's core, over any workspace: a regular expression, line by line, capped.
import type { Workspace } from './workspace.ts';

const MAX_MATCHES = 200;

export interface GrepResult {
  readonly matches: string[];
  readonly truncated?: boolean;
}

/** `file:line: text` for each matching line of the files under `dir` (or the one file `dir` names). */
export async function grepWorkspace(ws: Workspace, pattern: string, dir: string): Promise<GrepResult> {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new Error(`grep: ${JSON.stringify(pattern)} is not a valid regular expression (${(err as Error).message}).`);
  }
  const files = await filesUnder(ws, dir);
  const matches: string[] = [];
  for (const path of files) {
    const lines = (await ws.read(path)).split('\n');
    for (let n = 0; n < lines.length; n++) {
      if (!re.test(lines[n]!)) continue;
      if (matches.length === MAX_MATCHES) return { matches, truncated: true };
      matches.push(`${path}:${n + 1}: ${lines[n]!.slice(0, 300)}`);
    }
  }
  return { matches };
}

/** A file is searched on its own; a folder, every file under it. */
async function filesUnder(ws: Workspace, dir: string): Promise<string[]> {
  try {
    return (await ws.list(dir)).filter((e) => e.type === 'file').map((e) => e.path);
  } catch (err) {
    await ws.read(dir).catch(() => Promise.reject(err)); // not a folder: a file, or the list error stands
    return [dir];
  }
}
