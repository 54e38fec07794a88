// The floor: a hand-written tool loop over fetch, about 40 lines.
const tools = {
  greet: { description: 'Greet someone.', parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }, run: ({ name }) => `Hello, ${name}!` },
  add: { description: 'Add two numbers.', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] }, run: ({ a, b }) => a + b },
};
export async function run(baseURL, maxSteps = 10) {
  const messages = [{ role: 'user', content: 'Greet Ann, add 2 and 3, then finish.' }];
  for (let i = 0; i <= maxSteps; i++) {
    const res = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, tools: Object.entries(tools).map(([name, t]) => ({ type: 'function', function: { name, description: t.description, parameters: t.parameters } })) }),
    });
    const msg = (await res.json()).choices[0].message;
    messages.push(msg);
    if (!msg.tool_calls?.length) return msg.content;
    for (const c of msg.tool_calls) {
      const out = tools[c.function.name]?.run(JSON.parse(c.function.arguments || '{}'));
      messages.push({ role: 'tool', tool_call_id: c.id, content: JSON.stringify(out) });
    }
  }
  return 'max steps';
}
