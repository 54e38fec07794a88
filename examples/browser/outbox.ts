// Where `publish` posts: a list in localStorage, standing in for a real side effect.
// The page shows it; the e2e test counts it (one approval, one post).

export interface Post { readonly title: string; readonly body: string; readonly at: number }

export const OUTBOX = 'looplet-example:outbox';

export function posts(): Post[] {
  const saved: unknown = JSON.parse(localStorage.getItem(OUTBOX) ?? '[]');
  return Array.isArray(saved) ? (saved as Post[]) : [];
}

/** Appends a post; returns how many there are now. */
export function publish(title: string, body: string): number {
  const all = [...posts(), { title, body, at: Date.now() }];
  localStorage.setItem(OUTBOX, JSON.stringify(all));
  window.dispatchEvent(new Event(OUTBOX)); // the page re-reads the outbox
  return all.length;
}

export function clearOutbox(): void {
  localStorage.removeItem(OUTBOX);
  window.dispatchEvent(new Event(OUTBOX));
}
