// The terminal's workspace: a folder on disk. Paths are checked twice: as text (workspacePath),
// and on disk, so a symlink inside the folder cannot lead out of it.
import { mkdir, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { workspacePath, type Workspace, type WorkspaceEntry } from './workspace.ts';

const SKIP = new Set(['node_modules', '.git']); // huge, and never what the agent is asked about

export function nodeWorkspace(root: string): Workspace {
  let realRoot: Promise<string> | undefined; // looked up on first use: the folder may not exist yet

  /** The absolute path of a workspace path, once its nearest existing ancestor is known to be inside the root. */
  async function resolve(path: string): Promise<string> {
    const abs = join(root, workspacePath(path));
    let probe = abs;
    for (;;) {
      const real = await realpath(probe).catch(() => undefined);
      if (real !== undefined) {
        const rel = relative(await (realRoot ??= realpath(root)), real);
        if (rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep)) throw new Error(`${path}: leads outside the workspace (through a link).`);
        return abs;
      }
      const up = dirname(probe);
      if (up === probe) return abs;
      probe = up;
    }
  }

  async function walk(dir: string, out: WorkspaceEntry[]): Promise<void> {
    for (const d of await readdir(join(root, dir), { withFileTypes: true })) {
      if (SKIP.has(d.name)) continue;
      const path = dir ? `${dir}/${d.name}` : d.name;
      if (d.isDirectory()) {
        out.push({ path, type: 'dir' });
        await walk(path, out);
      } else if (d.isFile()) {
        out.push({ path, type: 'file', size: (await stat(join(root, path))).size });
      }
    }
  }

  return {
    async list(dir) {
      await resolve(dir);
      const out: WorkspaceEntry[] = [];
      await walk(dir, out).catch((err: NodeJS.ErrnoException) => {
        throw new Error(err.code === 'ENOENT' ? `${dir} does not exist.` : err.code === 'ENOTDIR' ? `${dir} is a file, not a folder.` : err.message);
      });
      return out.sort((a, b) => (a.path < b.path ? -1 : 1));
    },
    async read(path) {
      return readFile(await resolve(path), 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new Error(err.code === 'ENOENT' ? `${path} does not exist.` : err.code === 'EISDIR' ? `${path} is a folder: use list.` : err.message);
      });
    },
    async write(path, text) {
      const file = await resolve(path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    },
  };
}
