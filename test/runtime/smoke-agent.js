// The runtime-matrix smoke agent. Plain ESM JavaScript so Node, Deno, workerd and Chromium
// load it unchanged. `looplet` is the namespace of the built dist/index.js. The result must be
// deterministic: timings, durations, `ts` and `runId` are dropped.

/** `upstream`: the URL of a local OpenAI-compatible test server (matrix.test.ts starts one). */
export async function runSmoke(looplet, { upstream } = {}) {
  const out = { native: await nativeScenario(looplet), json: await jsonScenario(looplet) };
  if (upstream) {
    out.backend = await backendScenario(looplet, upstream, new looplet.OpenAIBackend({ baseURL: upstream + '/v1', apiKey: 'sk-matrix-test-key', model: 'gpt-4o', maxRetries: 0 }));
    out.anthropic = await backendScenario(looplet, upstream, new looplet.AnthropicBackend({ baseURL: upstream, apiKey: 'sk-ant-matrix-test-key', model: 'claude-sonnet-4', maxRetries: 0, dangerouslyAllowBrowser: true }));
  }
  return out;
}

// A backend (OpenAI, Anthropic) over this runtime's own fetch and Web Streams, against a server
// that replays a recorded streamed tool call, then a done call.
async function backendScenario(looplet, upstream, llm) {
  const { composableLoop } = looplet;
  const tools = makeTools(looplet);
  tools.register({
    name: 'get_weather',
    description: 'Weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' }, location: { type: 'string' } } },
    execute: ({ city, location }) => ({ city: city ?? location, temp: 21 }),
  });
  const deltas = [];
  const run = await drive(
    composableLoop({ llm, tools, task: 'Weather in NYC?', hooks: [{ onEvent: (e) => e.type === 'llm.delta' && deltas.push(e.argumentsDelta ?? e.text ?? '') }] }),
  );
  return { ...summarize(run), usage: run.outcome.usage, deltas: deltas.join('') };
}

function makeTools(looplet) {
  const { ToolRegistry, doneTool } = looplet;
  const obj = (properties, required = []) => ({ type: 'object', properties, required });
  return new ToolRegistry()
    .register({
      name: 'greet',
      description: 'Greet someone.',
      parameters: { ...obj({ name: { type: 'string' } }, ['name']), additionalProperties: false },
      execute: ({ name }) => ({ greeting: 'Hello, ' + name + '!' }),
    })
    .register({
      name: 'add',
      description: 'Add two numbers.',
      parameters: obj({ a: { type: 'number' }, b: { type: 'number' } }, ['a', 'b']),
      execute: async ({ a, b }) => a + b,
    })
    .register({
      name: 'fail',
      description: 'Always throws.',
      parameters: obj({}),
      execute: () => {
        throw new Error('boom');
      },
    })
    .register({
      name: 'delete',
      description: 'Delete a file.',
      parameters: obj({ path: { type: 'string' } }, ['path']),
      execute: ({ path }) => ({ deleted: path }),
    })
    .register(doneTool());
}

// Iterate by hand: for-await would drop the generator's return value (the outcome).
async function drive(gen) {
  const steps = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { steps, outcome: r.value };
    steps.push(r.value);
  }
}

function summarizeStep(step) {
  const { timing, toolResult, ...rest } = step.toJSON();
  const { durationMs, ...result } = toolResult;
  return { ...rest, toolResult: result };
}

function summarize({ steps, outcome }) {
  return {
    steps: steps.map(summarizeStep),
    pretty: steps.map((s) => s.pretty().replace(/\s*\[\d+ms\]$/, '')),
    outcome: { status: outcome.status, answer: outcome.answer, reason: outcome.reason, steps: outcome.steps },
  };
}

async function nativeScenario(looplet) {
  const { composableLoop, MockLLMBackend, deny, toJSONL, parseJSONL } = looplet;
  const events = [];
  const guard = {
    name: 'guard',
    preDispatch(_ctx, call) {
      if (call.name === 'delete') return deny('not allowed');
    },
    onEvent(event) {
      events.push(event);
    },
  };
  const llm = new MockLLMBackend([
    // (1) two calls in one reply
    {
      text: 'Greeting both.',
      toolCalls: [
        { id: 'g1', name: 'greet', arguments: { name: 'Alice' } },
        { id: 'g2', name: 'greet', arguments: { name: 'Bob' } },
      ],
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    },
    // (2) arguments as a JSON string
    { toolCalls: [{ id: 'a1', name: 'add', arguments: '{"a":2,"b":3}' }] },
    // (3) denied by the hook
    { toolCalls: [{ id: 'd1', name: 'delete', arguments: { path: '/etc/passwd' } }] },
    // (4) the tool throws
    { toolCalls: [{ id: 'f1', name: 'fail', arguments: {} }] },
    // (5) invalid arguments; (6) unknown tool; no ids: the loop makes them up
    { toolCalls: [{ name: 'greet', arguments: {} }] },
    { toolCalls: [{ name: 'nope', arguments: {} }] },
    // (7) finish
    { toolCalls: [{ id: 'z1', name: 'done', arguments: { answer: 'finished' } }] },
  ]);
  const run = await drive(
    composableLoop({ llm, tools: makeTools(looplet), task: 'Smoke test', config: { maxSteps: 20 }, hooks: [guard] }),
  );

  const text = toJSONL(events);
  let malformed = 'did not throw';
  try {
    parseJSONL(text + '{oops\n');
  } catch (err) {
    // The bad line is the one after the last event: its number must appear in the message.
    malformed = String(err && err.message).includes(String(events.length + 1)) ? 'names the line' : String(err);
  }
  return {
    ...summarize(run),
    usage: run.outcome.usage,
    eventTypes: events.map((e) => e.type),
    eventsWellFormed: events.every(
      (e) => typeof e.v === 'number' && typeof e.type === 'string' && typeof e.runId === 'string' && typeof e.step === 'number' && typeof e.ts === 'number',
    ),
    oneRunId: new Set(events.map((e) => e.runId)).size === 1,
    jsonlRoundTrip: parseJSONL(text).length === events.length,
    malformedLine: malformed,
    requestsSeen: llm.requests.length,
  };
}

async function jsonScenario(looplet) {
  const { composableLoop, MockLLMBackend } = looplet;
  const llm = new MockLLMBackend([
    'Sure:\n```json\n{"tool":"greet","args":{"name":"Ann"}}\n```',
    '{"tool":"done","args":{"answer":"ok"}}',
  ]);
  const run = await drive(
    composableLoop({ llm, tools: makeTools(looplet), task: 'Greet Ann', config: { maxSteps: 5, toolCallMode: 'json' } }),
  );
  return { ...summarize(run), requestsSeen: llm.requests.length };
}
