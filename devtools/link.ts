// Deep links: the run, step, tab and filter in the URL's hash, so a reload or a shared link
// opens the same view. Other hash parameters the page uses are kept.
import type { DetailTab } from './StepDetail.tsx';

export interface Link {
  run?: string;
  step?: number;
  tab?: DetailTab;
  q?: string;
}

const TABS: readonly string[] = ['prompt', 'diff', 'reply', 'call', 'result', 'hooks'];

export function readLink(hash: string): Link {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const link: Link = {};
  const run = p.get('run'), step = Number(p.get('step') ?? NaN), tab = p.get('tab'), q = p.get('q');
  if (run) link.run = run;
  if (Number.isSafeInteger(step) && step > 0) link.step = step;
  if (tab && TABS.includes(tab)) link.tab = tab as DetailTab;
  if (q) link.q = q;
  return link;
}

export function writeLink(hash: string, link: Link): string {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [k, v] of Object.entries({ run: link.run, step: link.step, tab: link.tab, q: link.q })) {
    if (v === undefined || v === '') p.delete(k);
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `#${s}` : '';
}
