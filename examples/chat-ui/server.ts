// `npm run example:chat`: the useChat page and its looplet API on one port. The page is served
// by Vite (middleware mode); /api/* goes to the web-standard handler in handler.ts.
// Flags: --port N (default 5180), --data DIR (checkpoints in files: a paused chat survives a restart).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { memoryStore } from 'looplet';
import { fileStore } from 'looplet/file-store';
import { createServer as vite } from 'vite';
import { model } from './agent.ts';
import { chatHandler } from './handler.ts';

const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const port = Number(arg('--port') ?? 5180); // 0: any free port (the line printed says which)
const data = arg('--data');
const root = fileURLToPath(new URL('.', import.meta.url));

const handle = chatHandler({
  store: data ? fileStore(data) : memoryStore(),
  llm: model(process.env, Number(process.env.SCRIPTED_DELAY_MS ?? 15)),
  // A real deployment sets its own; a random one per process is enough for a demo.
  approvalSecret: process.env.APPROVAL_SECRET ?? crypto.randomUUID(),
});

const pages = await vite({
  root, configFile: false, appType: 'spa', plugins: [react()], server: { middlewareMode: true }, logLevel: 'warn',
  // bundled up front, so the first page load does not stop to optimize them and reload
  optimizeDeps: { include: ['react', 'react-dom/client', 'react/jsx-dev-runtime', '@ai-sdk/react', 'ai'] },
  cacheDir: fileURLToPath(new URL('../../node_modules/.vite-chat-ui', import.meta.url)),
});

/** Node's request as a web Request, and a web Response back, streamed. */
async function api(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, ...(body && req.method !== 'GET' ? { body } : {}) });
  const response = await handle(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  for await (const chunk of response.body) res.write(chunk);
  res.end();
}

const server = createServer((req, res) => {
  if (req.url?.startsWith('/api/')) {
    api(req, res).catch((err: unknown) => {
      console.error(err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal', message: 'The server failed; see its log.' }));
    });
  } else pages.middlewares(req, res);
});
server.listen(port, '127.0.0.1', () => console.log(`chat-ui: http://127.0.0.1:${(server.address() as { port: number }).port}/ (model: ${process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL ? process.env.OPENAI_MODEL ?? 'gpt-4o-mini' : 'scripted'})`));
