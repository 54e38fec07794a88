// Which demo the playground shows: `?demo=coding` for the coding agent, the data-cleanup agent otherwise.
export type DemoId = 'data' | 'coding';

export const DEMOS: readonly { readonly id: DemoId; readonly label: string }[] = [
  { id: 'data', label: 'Data cleanup' },
  { id: 'coding', label: 'Coding agent' },
];

export function currentDemo(search = location.search): DemoId {
  return new URLSearchParams(search).get('demo') === 'coding' ? 'coding' : 'data';
}

/** The page's URL for a demo: the other query parameters kept, the panel's hash dropped (its runs are the other demo's). */
export function demoURL(id: DemoId, href = location.href): string {
  const url = new URL(href);
  if (id === 'data') url.searchParams.delete('demo');
  else url.searchParams.set('demo', id);
  url.hash = '';
  return url.toString();
}
