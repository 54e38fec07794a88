// The agent the checkpoint runtime tests run everywhere: load → save (needs approval) → done.
// The model is a policy over the conversation, so a resumed run gets the same replies.
// `count(name)` records a side effect somewhere that outlives the process or page.
export function approvalAgent(looplet, count) {
  const { ToolRegistry } = looplet;
  const tools = new ToolRegistry()
    .register({ name: 'load', description: 'Load.', parameters: { type: 'object', properties: { file: { type: 'string' } } }, execute: async ({ file }) => { await count('load'); return { rows: 3, file }; } })
    .register({ name: 'save', description: 'Save.', parameters: { type: 'object', properties: { path: { type: 'string' } } }, needsApproval: true, execute: async ({ path }) => { await count('save'); return { saved: path }; } });
  const llm = {
    async generate(req) {
      const answered = new Map(req.messages.filter((m) => m.role === 'tool').map((m) => [m.name, m.content]));
      if (!answered.has('load')) return { toolCalls: [{ id: 'c-load', name: 'load', arguments: { file: 'in.csv' } }] };
      if (!answered.has('save')) return { toolCalls: [{ id: 'c-save', name: 'save', arguments: { path: 'out.csv' } }] };
      return { toolCalls: [{ id: 'c-done', name: 'done', arguments: { answer: 'saved: ' + answered.get('save') } }] };
    },
  };
  return { tools, llm, hooks: (store, runId) => [new looplet.ApprovalHook(), new looplet.CheckpointHook({ store, runId })] };
}

export async function drive(gen) {
  const steps = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { steps: steps.map((s) => s.pretty().replace(/ \[\d+ms\]$/, '')), outcome: r.value };
    steps.push(r.value);
  }
}
