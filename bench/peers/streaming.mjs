// Time to first token through looplet (an llm.delta event) vs reading the same SSE stream with fetch directly.
import { createServer } from 'node:http';
import { composableLoop, collect, OpenAIBackend, ToolRegistry } from '../../dist/index.js';

export async function streamingTable(runs = 30) {
  const chunk = (o) => `data: ${JSON.stringify(o)}\n\n`;
  const body = chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' } }] }) + chunk({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'd', type: 'function', function: { name: 'done', arguments: '{"answer":"hi"}' } }] }, finish_reason: 'tool_calls' }] }) + 'data: [DONE]\n\n';
  const server = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(body); }); });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/v1`;
  const direct = [], through = [];
  for (let k = 0; k < runs; k++) {
    let t = performance.now();
    const res = await fetch(`${url}/chat/completions`, { method: 'POST', body: '{}' });
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    for (;;) { const { value } = await reader.read(); if (dec.decode(value).includes('Hello')) break; }
    direct.push(performance.now() - t);
    await reader.cancel();
    t = performance.now();
    let first;
    await collect(composableLoop({ llm: new OpenAIBackend({ baseURL: url, model: 'm', maxRetries: 0 }), tools: new ToolRegistry(), task: 't', hooks: [{ onEvent: (e) => { if (e.type === 'llm.delta' && first === undefined) first = performance.now() - t; } }] }));
    through.push(first);
  }
  server.close();
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return `| path | time to first token, median of ${runs} (min–max) |\n|---|---|\n| fetch + reading the stream directly | ${med(direct).toFixed(2)} ms (${Math.min(...direct).toFixed(2)}–${Math.max(...direct).toFixed(2)}) |\n| through looplet (first \`llm.delta\` event) | ${med(through).toFixed(2)} ms (${Math.min(...through).toFixed(2)}–${Math.max(...through).toFixed(2)}) |`;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await streamingTable());
