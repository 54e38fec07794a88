// The coding agent's tools over a `Workspace` and a `RunCommand`: list, read, write, edit, grep, run.
// Every path goes through `workspacePath` first, so no tool touches anything outside the workspace.
import { ToolRegistry } from 'looplet';
import { replaceExact } from './edit.ts';
import { grepWorkspace } from './grep.ts';
import { workspacePath, type RunCommand, type Workspace } from './workspace.ts';

const MAX_READ = 60_000; // characters: a whole file fits, a huge one does not flood the context
const MAX_LIST = 500;
const RUN_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MAX_MS = 300_000;

export interface CodingToolsOptions {
  readonly workspace: Workspace;
  readonly run: RunCommand;
  /** The workspace's absolute path, if it has one: a model may use it in paths. */
  readonly root?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));

export function codingTools({ workspace: ws, run, root = '' }: CodingToolsOptions): ToolRegistry {
  const at = (path: unknown) => workspacePath(str(path), root);
  return new ToolRegistry()
    .register({
      name: 'list', description: 'List the files and folders in the workspace (recursively), with file sizes.',
      parameters: { type: 'object', properties: { path: { type: 'string', description: 'A folder; default the workspace root.' } } },
      execute: async ({ path }) => {
        const entries = await ws.list(at(path ?? '.'));
        const shown = entries.slice(0, MAX_LIST).map((e) => (e.type === 'dir' ? `${e.path}/` : `${e.path} (${e.size ?? 0} bytes)`));
        return { entries: shown, ...(entries.length > MAX_LIST ? { truncated: `${entries.length - MAX_LIST} more not shown` } : {}) };
      },
    })
    .register({
      name: 'read', description: 'Read a text file of the workspace.',
      parameters: { type: 'object', properties: { path: { type: 'string', minLength: 1 } }, required: ['path'] },
      execute: async ({ path }) => {
        const text = await ws.read(at(path));
        return text.length <= MAX_READ ? text : `${text.slice(0, MAX_READ)}\n[… ${text.length - MAX_READ} more characters not shown: use grep to find what you need]`;
      },
    })
    .register({
      name: 'write', description: 'Create or replace a file of the workspace with the given content.',
      parameters: { type: 'object', properties: { path: { type: 'string', minLength: 1 }, content: { type: 'string' } }, required: ['path', 'content'] },
      execute: async ({ path, content }) => {
        const p = at(path);
        if (p === '') throw new Error('write: give a file path, not the workspace root.');
        await ws.write(p, str(content));
        return { written: p, bytes: new TextEncoder().encode(str(content)).length };
      },
    })
    .register({
      name: 'edit',
      description: 'Replace one exact occurrence of old_text with new_text in a file. old_text must match the file exactly (whitespace included) and only once; include surrounding lines to make it unique.',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string', minLength: 1 }, old_text: { type: 'string', minLength: 1 }, new_text: { type: 'string' } },
        required: ['path', 'old_text', 'new_text'],
      },
      execute: async ({ path, old_text, new_text }) => {
        const p = at(path);
        await ws.write(p, replaceExact(await ws.read(p), str(old_text), str(new_text), p));
        return { edited: p };
      },
    })
    .register({
      name: 'grep', description: 'Search the files under a path (default the whole workspace) for a JavaScript regular expression; returns file:line: text.',
      parameters: { type: 'object', properties: { pattern: { type: 'string', minLength: 1 }, path: { type: 'string' } }, required: ['pattern'] },
      execute: ({ pattern, path }) => grepWorkspace(ws, str(pattern), at(path ?? '.')),
    })
    .register({
      name: 'run',
      description: 'Run a shell command in the workspace root (e.g. `node test.js`). Returns the exit code, stdout and stderr (long output is cut). Stays inside the workspace.',
      parameters: {
        type: 'object',
        properties: { command: { type: 'string', minLength: 1 }, timeout_ms: { type: 'integer', minimum: 1000, maximum: RUN_TIMEOUT_MAX_MS } },
        required: ['command'],
      },
      execute: ({ command, timeout_ms }, ctx) => run(str(command), { timeoutMs: typeof timeout_ms === 'number' ? timeout_ms : RUN_TIMEOUT_MS, signal: ctx.signal }),
    });
}
