// Boots the page: the runs saved in IndexedDB and their trace are read first, so a reload
// during an approval pause shows the run still waiting, in the page and in the panel.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Checkpoint, LoopEvent } from 'looplet';
import { liveSource } from 'looplet/devtools';
import { App } from './App.tsx';
import { savedRuns } from './runs.ts';
import { readTrace } from './trace.ts';

async function boot(): Promise<void> {
  const live = liveSource();
  let saved: Checkpoint[] = [];
  let events: LoopEvent[] = [];
  try {
    [saved, events] = await Promise.all([savedRuns(), readTrace()]);
  } catch (err) {
    console.error('Could not read the saved runs (is IndexedDB available?)', err);
  }
  for (const e of events) void live.hook.onEvent?.(e);
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app');
  createRoot(root).render(<StrictMode><App live={live} saved={saved} /></StrictMode>);
}

void boot();
