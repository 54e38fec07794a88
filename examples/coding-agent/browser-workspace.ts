// The browser host's workspace: OPFS where the page can write it, IndexedDB otherwise. Both keep
// the files across reloads, per origin.
import { idbWorkspace } from './idb-workspace.ts';
import { opfsAvailable, opfsWorkspace } from './opfs-workspace.ts';
import type { Workspace } from './workspace.ts';

export interface BrowserWorkspace extends Workspace {
  /** Where the files live, to tell the user. */
  readonly kind: 'opfs' | 'indexeddb';
  /** Removes every file. */
  clear(): Promise<void>;
}

/** The workspace named `name` (an OPFS folder, or an IndexedDB database of that name); `indexeddb` skips OPFS. */
export async function browserWorkspace(name = 'looplet-coding-workspace', { prefer = 'opfs' }: { prefer?: BrowserWorkspace['kind'] } = {}): Promise<BrowserWorkspace> {
  if (prefer === 'opfs' && opfsAvailable()) {
    // getDirectory can still refuse (private windows in some browsers): fall back rather than fail
    const ws = await opfsWorkspace(name).catch(() => undefined);
    if (ws) return { ...ws, kind: 'opfs' };
  }
  return { ...idbWorkspace(name), kind: 'indexeddb' };
}
