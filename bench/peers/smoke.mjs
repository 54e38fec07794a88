// Runs each library's agent once against the instant server: does it do the job here?
import { startServer } from './server.mjs';
const libs = ['floor', 'looplet', 'ai-sdk', 'tanstack', 'openai-agents', 'langgraph', 'mastra'];
const { url, server, count } = await startServer();
for (const lib of libs) {
  const before = count();
  try {
    const { run } = await import(`./agents/${lib}.mjs`);
    const out = await run(url);
    console.log(`${lib.padEnd(14)} ok   ${count() - before} requests → ${JSON.stringify(out)}`);
  } catch (err) {
    console.log(`${lib.padEnd(14)} FAIL ${String(err?.message ?? err).split('\n')[0].slice(0, 150)}`);
  }
}
server.close();
