// `looplet view`: the devtools viewer (built into dist/viewer) served on localhost, with a trace
// file at /trace.jsonl (read afresh on each request) or a live stream the page connects to.
// No dev server and no network: everything is local files.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** Parses `view` arguments, starts the server, prints its URL; resolves with an exit code only on a usage error (else it serves until stopped). */
export async function view(args: string[]): Promise<number> {
  let file: string | undefined;
  let watch: string | undefined;
  let port = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--watch') watch = args[++i];
    else if (a === '--port') port = Number(args[++i]);
    else file ??= a;
  }
  if ((!file && !watch) || !Number.isInteger(port) || port < 0) {
    console.error('usage: looplet view <trace.jsonl> [--port N]  |  looplet view --watch <url> [--port N]');
    return 2;
  }
  const root = fileURLToPath(new URL('./viewer/', import.meta.url));
  try {
    await stat(join(root, 'index.html'));
  } catch {
    console.error(`looplet view: the viewer is not built (${root}); in a checkout, run npm run build.`);
    return 1;
  }
  const trace = file ? resolve(file) : undefined;
  if (trace) {
    try {
      await stat(trace);
    } catch {
      console.error(`looplet view: ${file}: no such file.`);
      return 1;
    }
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path === '/trace.jsonl' && trace) {
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
      createReadStream(trace).pipe(res);
      return;
    }
    const target = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!target.startsWith(root)) return void res.writeHead(403).end();
    readFile(target).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const { port: bound } = server.address() as AddressInfo;
  const query = trace ? 'trace=/trace.jsonl' : `watch=${encodeURIComponent(watch!)}`;
  console.log(`looplet view: http://127.0.0.1:${bound}/?${query}  (Ctrl-C to stop)`);
  return new Promise<number>(() => {}); // serves until the process is stopped
}
