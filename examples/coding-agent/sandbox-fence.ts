// What the sandbox worker takes away before user code runs: the network (fetch, XMLHttpRequest,
// WebSocket, EventSource, importScripts…), this origin's storage (IndexedDB, Cache Storage, OPFS)
// and other threads (nested workers, BroadcastChannel, messages to the page). Each is replaced by
// something that throws a clear error, on the scope and up its prototype chain.
//
// Best-effort: the worker shares the page's origin, and what cannot be shadowed — a dynamic
// `import()`, a tab-wide out-of-memory — still gets through. It fences off accidents and careless
// code; it is not a boundary against hostile code. Self-contained (no imports, no outer names):
// worker-run.ts ships this function's source into the worker.

export function sandboxFence(scope: object, navigator: object): void {
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const fence = (target: object, name: string, desc: PropertyDescriptor) => {
    for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
      if (has(o, name)) try { Object.defineProperty(o, name, { ...desc, configurable: true }); } catch { /* fixed: the own property below shadows it */ }
    }
    try { Object.defineProperty(target, name, { ...desc, configurable: false }); } catch { /* already fenced */ }
  };
  // a plain function, not an arrow: `new WebSocket(…)` must reach the throw, not fail as "not a constructor"
  const refuse = (name: string, why: string) => function refused(): never { throw new Error(`${name} is not available in this sandbox: ${why}.`); };
  const NET = 'it has no network';
  const OUT = 'code run here cannot reach the page, its storage or other threads';
  for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'EventSource', 'WebTransport', 'importScripts']) fence(scope, name, { value: refuse(name, NET), writable: false });
  for (const name of ['Worker', 'SharedWorker', 'BroadcastChannel', 'postMessage', 'close']) fence(scope, name, { value: refuse(name, OUT), writable: false });
  for (const name of ['indexedDB', 'caches']) fence(scope, name, { get: refuse(name, OUT) });
  for (const name of ['storage', 'serviceWorker', 'locks']) fence(navigator, name, { get: refuse(`navigator.${name}`, OUT) });
}
