// An agent whose tools live on an MCP server: the reference server-everything, started here on a
// free port (or the server at MCP_URL). `get-sum` needs a human's approval; the run pauses, is
// approved, and finishes. With OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL set it talks to
// that model; otherwise a scripted one. `npm run example:mcp`
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { approve, collect, composableLoop, MockLLMBackend, OpenAIBackend, type LLMBackend } from 'looplet';
import { mcpClient } from 'looplet/mcp';

async function startEverything(): Promise<{ url: string; stop(): void }> {
  const port = await new Promise<number>((ok) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => ok(p)); }); });
  const bin = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
  const child = spawn(process.execPath, [bin, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((ok, fail) => { child.stderr.on('data', (d: Buffer) => String(d).includes('listening') && ok()); child.on('exit', (c) => fail(new Error(`server-everything exited (${c})`))); });
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => child.kill() };
}

const env = process.env;
const server = env.MCP_URL ? { url: env.MCP_URL, stop() {} } : await startEverything();
const mcp = mcpClient({ url: server.url, name: 'everything', prefix: 'everything', filter: ['echo', 'get-sum'], needsApproval: ['get-sum'] });
try {
  const tools = await mcp.listTools();
  console.log(`MCP server ${server.url} (${mcp.protocol} era): ${tools.map((t) => t.name).join(', ')}\n`);

  const llm: LLMBackend = env.OPENAI_BASE_URL || env.OPENAI_API_KEY
    ? new OpenAIBackend({ baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL ?? 'gpt-4o-mini' })
    : new MockLLMBackend([
      { toolCalls: [{ id: 'sum', name: 'everything_get-sum', arguments: { a: 2, b: 40 } }] },
      (req) => ({ toolCalls: [{ id: 'echo', name: 'everything_echo', arguments: { message: req.messages.at(-1)?.content ?? '' } }] }),
      (req) => ({ toolCalls: [{ id: 'done', name: 'done', arguments: { answer: req.messages.at(-1)?.content } }] }),
    ]);
  const task = 'Add 2 and 40 with the sum tool, echo the result with the echo tool, then finish with what the echo said.';

  const first = await collect(composableLoop({ llm, tools, task }));
  for (const s of first.steps) console.log(s.pretty());
  for (const p of first.outcome.pending ?? []) console.log(`\n‖ ${p.call.name}(${JSON.stringify(p.call.args)}) waits: ${p.reason} — approving`);
  const decisions = Object.fromEntries((first.outcome.pending ?? []).map((p) => [p.id, approve()]));
  const next = first.outcome.status === 'paused' ? await collect(composableLoop({ llm, tools, resume: first.outcome.checkpoint!, decisions })) : first;
  if (next !== first) for (const s of next.steps) console.log(s.pretty());
  console.log(`\n${next.outcome.status}: ${JSON.stringify(next.outcome.answer ?? next.outcome.error?.message)}`);
} finally {
  await mcp.close();
  server.stop();
}
