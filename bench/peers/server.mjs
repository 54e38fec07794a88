// An OpenAI-compatible server that answers at once, the same for every library: the first call
// greets, the second adds, the third finishes (a done tool call, or plain text for libraries
// whose loop ends on text). Streams when asked to.
import { createServer } from 'node:http';

// With `steps` > 2, the model calls greet that many times first (the per-step benchmark).
function reply(body, steps) {
  const msgs = body.messages ?? [];
  const tools = (body.tools ?? []).map((t) => t.function?.name ?? t.name);
  const n = msgs.filter((m) => m.role === 'tool').length;
  if (steps > 2 && n < steps) return { tool: { id: `call_${n + 1}`, name: 'greet', arguments: '{"name":"Ann"}' } };
  if (steps > 2) return tools.includes('done') ? { tool: { id: 'call_end', name: 'done', arguments: '{"answer":"5"}' } } : { text: '5' };
  if (n === 0) return { tool: { id: 'call_1', name: 'greet', arguments: '{"name":"Ann"}' } };
  if (n === 1) return { tool: { id: 'call_2', name: 'add', arguments: '{"a":2,"b":3}' } };
  if (tools.includes('done')) return { tool: { id: 'call_3', name: 'done', arguments: '{"answer":"Hello, Ann! 5"}' } };
  return { text: 'Hello, Ann! 5' };
}

export function startServer(port = 0, steps = 2) {
  let requests = 0;
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    requests++;
    const body = JSON.parse(raw || '{}');
    if (process.env.DEBUG_BENCH) console.error('REQ', body.stream, (body.messages ?? []).map((m) => m.role).join(','));
    const r = reply(body, steps);
    const id = `chatcmpl-${requests}`; // unique per reply: some libraries merge messages by id
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    const message = r.tool
      ? { role: 'assistant', content: null, tool_calls: [{ id: r.tool.id, type: 'function', function: { name: r.tool.name, arguments: r.tool.arguments } }] }
      : { role: 'assistant', content: r.text };
    const finish = r.tool ? 'tool_calls' : 'stop';
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const delta = r.tool ? { role: 'assistant', tool_calls: [{ index: 0, id: r.tool.id, type: 'function', function: { name: r.tool.name, arguments: r.tool.arguments } }] } : { role: 'assistant', content: r.text };
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, message, finish_reason: finish }], usage }));
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${server.address().port}/v1`, server, count: () => requests })));
}
