import type { Page } from '@playwright/test';

/** The playground on a clean origin: no saved runs, no checkpoints, no settings. */
export async function freshPlayground({ page }: { page: Page }): Promise<void> {
  await page.goto('/');
  await page.evaluate(async () => {
    localStorage.clear();
    sessionStorage.clear();
    await new Promise((ok) => { const r = indexedDB.deleteDatabase('looplet-playground'); r.onsuccess = r.onerror = r.onblocked = () => ok(null); });
  });
  await page.reload();
}
