// The workspace beside the panel: its files (a click shows one), and the output of the latest
// `run`. Everything is rendered as text: file contents and output are the model's and its code's.
import { useEffect, useState } from 'react';
import type { BrowserWorkspace } from '../../examples/coding-agent/browser-workspace.ts';
import type { WorkspaceEntry } from '../../examples/coding-agent/workspace.ts';
import type { RunView } from './run-output.ts';

const pre = { margin: 0, padding: 6, background: '#f6f8fa', border: '1px solid #d8dde3', borderRadius: 4, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 320, overflow: 'auto', font: '12px ui-monospace, monospace' } as const;

export interface WorkspacePaneProps {
  readonly workspace: BrowserWorkspace | undefined;
  /** Changes whenever the files may have: read them again. */
  readonly version: number;
  readonly runs: RunView;
}

export function WorkspacePane({ workspace, version, runs }: WorkspacePaneProps) {
  const run = runs.last;
  const [files, setFiles] = useState<WorkspaceEntry[]>([]);
  const [problem, setProblem] = useState<string>();
  const [open, setOpen] = useState<string>();
  const [text, setText] = useState<string>();

  useEffect(() => {
    if (!workspace) return;
    let live = true;
    workspace.list('').then((all) => { if (live) { setFiles(all.filter((e) => e.type === 'file')); setProblem(undefined); } }, (err: unknown) => live && setProblem(String(err)));
    return () => { live = false; };
  }, [workspace, version]);

  useEffect(() => {
    if (!workspace || open === undefined) return;
    let live = true;
    workspace.read(open).then((t) => live && setText(t), () => live && setText(undefined));
    return () => { live = false; };
  }, [workspace, open, version]);

  const where = workspace ? (workspace.kind === 'opfs' ? 'Origin Private File System' : 'IndexedDB') : 'opening…';
  return (
    <aside aria-label="Workspace" style={{ width: 340, flexShrink: 0, overflow: 'auto', padding: 8, borderRight: '1px solid #d8dde3', display: 'flex', flexDirection: 'column', gap: 8 }}>
      <div>
        <h2 style={{ fontSize: 13, margin: '0 0 4px' }}>Workspace</h2>
        <small>/workspace · kept in this browser ({where})</small>
      </div>
      {problem && <div role="alert">{problem}</div>}
      {files.length === 0 ? <p style={{ margin: 0 }}>No files yet.</p> : (
        <ul aria-label="Workspace files" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {files.map((f) => (
            <li key={f.path}>
              <button aria-pressed={f.path === open} onClick={() => setOpen(f.path === open ? undefined : f.path)} style={{ font: '12px ui-monospace, monospace', fontWeight: f.path === open ? 700 : 400 }}>{f.path}</button>{' '}
              <small>{f.size ?? 0} bytes</small>
            </li>
          ))}
        </ul>
      )}
      {open !== undefined && text !== undefined && (
        <section aria-label={`File ${open}`}>
          <pre aria-label="File contents" style={pre}>{text}</pre>
        </section>
      )}
      <section aria-label="Last run">
        <h2 style={{ fontSize: 13, margin: '0 0 4px' }}>Last run</h2>
        {runs.waiting !== undefined && <p aria-label="Waiting for approval" style={{ margin: '0 0 4px' }}>Waiting for your approval in the panel: <code>{runs.waiting}</code></p>}
        {run ? (
          <>
            <code>$ {run.command}</code>
            <div aria-label="Run outcome">{run.outcome}</div>
            {(run.stdout || run.stderr) && <pre aria-label="Run output" style={pre}>{run.stdout}{run.stderr && run.stdout && !run.stdout.endsWith('\n') ? '\n' : ''}{run.stderr}</pre>}
          </>
        ) : runs.waiting === undefined && <p style={{ margin: 0 }}>Nothing run yet. The agent's <code>run</code> executes JavaScript in a Web Worker, after your approval.</p>}
      </section>
    </aside>
  );
}
