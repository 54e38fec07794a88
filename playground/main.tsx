// The playground: an agent running in this tab, the devtools beside it. Two demos — the
// data-cleanup agent (the default) and the coding agent (`?demo=coding`) — each loaded only when
// picked, so one demo's modules never run in the other's page.
import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { currentDemo } from './demo.ts';

const load = (): Promise<ComponentType> =>
  currentDemo() === 'coding' ? import('./coding/CodingDemo.tsx').then((m) => m.CodingDemo) : import('./data-demo.tsx').then((m) => m.DataDemo);

void load().then((Demo) => createRoot(document.getElementById('app')!).render(<StrictMode><Demo /></StrictMode>));
