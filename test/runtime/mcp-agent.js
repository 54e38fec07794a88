// The MCP leg of the runtime matrix: plain ESM, loaded unchanged by Node, Deno, workerd and
// Chromium. `looplet` and `mcp` are the built dist/index.js and dist/mcp/index.js namespaces.
// An agent lists a server's tools and calls `echo` through the loop; the result is deterministic.
export async function runMcp(looplet, mcp, url) {
  const client = mcp.mcpClient({ url, name: 'srv' });
  try {
    const tools = await client.listTools();
    const llm = {
      async generate(req) {
        const told = req.messages.filter((m) => m.role === 'tool');
        if (told.length === 0) return { toolCalls: [{ id: 'e1', name: 'echo', arguments: { message: 'from the agent' } }] };
        return { toolCalls: [{ id: 'd', name: 'done', arguments: { answer: told.map((m) => m.content).join(' | ') } }] };
      },
    };
    const steps = [];
    const run = looplet.composableLoop({ llm, tools, task: 'Echo through MCP' });
    for (;;) {
      const r = await run.next();
      if (r.done) return { protocol: client.protocol, echo: tools.some((t) => t.name === 'echo' && t.origin?.server === 'srv'), steps: steps.map((s) => [s.toolCall.name, s.status]), answer: r.value.answer, status: r.value.status };
      steps.push(r.value);
    }
  } catch (err) {
    return { error: { name: err.name, code: err.code, message: err.message } };
  } finally {
    await client.close();
  }
}
