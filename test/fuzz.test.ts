// Seeded fuzzing of the loop: thousands of generated model replies — malformed, hostile, huge and
// deeply nested — in native and JSON-in-text mode. Whatever the model sends: no crash, no
// unhandled rejection, no tool run with arguments its schema refuses, no call left unanswered in
// what the model is sent, and every checkpoint and trace reads back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApprovalHook, approve, CheckpointHook, collect, composableLoop, memoryStore, parseJSONL, toJSONL, ToolRegistry,
  type Hook, type LLMBackend, type LLMRequest, type LLMResponse, type LoopEvent, type Message,
} from '../lib/index.ts';
import { validateSchema } from '../lib/tools/json-schema.ts';
import { readCheckpoint } from '../lib/loop/read-checkpoint.ts';

/** mulberry32: a small seeded PRNG, so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const SCHEMAS = {
  write: { type: 'object', properties: { path: { type: 'string', minLength: 1 }, content: { type: 'string' } }, required: ['path', 'content'], additionalProperties: false },
  add: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  pick: { type: 'object', properties: { color: { enum: ['red', 'green'] }, n: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['color'] },
  deep: { type: 'object', properties: { tree: { type: 'object' } } },
} as const;

function fuzzTools(violations: string[], runs: { n: number }) {
  const reg = new ToolRegistry();
  for (const [name, parameters] of Object.entries(SCHEMAS)) {
    reg.register({
      name, description: `The ${name} tool.`, parameters, needsApproval: name === 'pick',
      execute: (args: Record<string, unknown>) => {
        runs.n++;
        const issues = validateSchema(parameters, args);
        if (issues.length > 0) violations.push(`${name} ran with invalid arguments ${JSON.stringify(args).slice(0, 200)}: ${JSON.stringify(issues)}`);
        if (name === 'add' && args.a === 13) throw new Error('unlucky');
        return name === 'add' ? Number(args.a) + Number(args.b) : { ok: true, echo: JSON.stringify(args).length };
      },
    });
  }
  return reg;
}

const nest = (depth: number, leaf: unknown = 1): unknown => { let v = leaf; for (let i = 0; i < depth; i++) v = { k: v }; return v; };

/** Arguments a model might send: valid, wrong, hostile, huge, deep — as an object or as (broken) JSON text. */
function args(r: Rng, tool: string): unknown {
  const valid: Record<string, () => Record<string, unknown>> = {
    write: () => ({ path: `f${r.int(5)}.js`, content: r.chance(0.3) ? 'line 1\nline 2\t"quoted" \\ }{' : 'x' }),
    add: () => ({ a: r.int(20), b: r.int(5) }),
    pick: () => ({ color: r.pick(['red', 'green']), n: r.int(10) }),
    deep: () => ({ tree: nest(r.int(40)) }),
  };
  const value = (): unknown => {
    switch (r.int(14)) {
      case 0: return null;
      case 1: return [1, 2, 3];
      case 2: return 'a string';
      case 3: return 42;
      case 4: return { ...valid[tool]?.(), extra: true };
      case 5: return { path: 7, content: null, a: '1', b: {}, color: 'blue', n: 99 };
      case 6: return { tree: nest(r.pick([63, 64, 65, 200, 5_000, 60_000])) };
      case 7: return { path: 'big.txt', content: 'y'.repeat(r.pick([10_000, 300_000])) };
      case 8: return { __proto__: { polluted: true }, constructor: 'x', color: 'red' };
      case 9: return {};
      default: return valid[tool]?.() ?? {};
    }
  };
  const v = value();
  if (!r.chance(0.5)) return v;
  const text = JSON.stringify(v) ?? 'undefined';
  switch (r.int(6)) {
    case 0: return text.slice(0, Math.max(1, r.int(text.length))); // cut off
    case 1: return text.replace(/"/g, "'"); // not JSON
    case 2: return '';
    case 3: return '{"a": 1,}';
    default: return text;
  }
}

function nativeReply(r: Rng): LLMResponse {
  if (r.chance(0.08)) return { text: r.pick(['I am thinking.', '', '{"tool": "add"}', 'done!']) };
  const n = r.chance(0.2) ? 1 + r.int(4) : 1;
  const toolCalls = Array.from({ length: n }, (_, i) => {
    const name = r.chance(0.85) ? r.pick([...Object.keys(SCHEMAS), 'done']) : r.pick(['wrte', '', 'eval', '__proto__', 'x'.repeat(300)]);
    const call: { id?: string; name: string; arguments: unknown } = { name, arguments: name === 'done' ? (r.chance(0.7) ? { answer: r.pick(['ok', 42, null, { deep: nest(30) }]) } : args(r, name)) : args(r, name) };
    if (r.chance(0.85)) call.id = r.chance(0.1) ? 'dup' : `c${r.int(1e9)}_${i}`;
    return call;
  });
  return { toolCalls: toolCalls as LLMResponse['toolCalls'], usage: { inputTokens: r.int(100), outputTokens: r.int(50), totalTokens: 0 } };
}

function jsonReply(r: Rng): LLMResponse {
  const one = () => {
    const name = r.pick([...Object.keys(SCHEMAS), 'done', 'nope']);
    const a = name === 'done' ? { answer: 'fine' } : args(r, name);
    const body = typeof a === 'string' ? `{"tool": "${name}", "args": ${a || '{}'}}` : JSON.stringify(r.chance(0.2) ? { tool: name, ...(a as object) } : { tool: name, args: a }) ?? '';
    return r.chance(0.2) ? body.replace(/\\n/g, '\n') : body; // raw newlines inside strings
  };
  const calls = Array.from({ length: 1 + r.int(3) }, one);
  switch (r.int(6)) {
    case 0: return { text: `Let me do this:\n\`\`\`json\n${calls[0]}\n\`\`\`` };
    case 1: return { text: `[${calls.join(',')}]` };
    case 2: return { text: `{"tools": [${calls.join(',')}]}` };
    case 3: return { text: `Thinking { about [ it\n${calls.join('\n')}` };
    case 4: return { text: 'no call here, just {"total": 3}' };
    default: return { text: calls.join('\n') };
  }
}

/** Every call the model is shown is answered before the model is asked again. */
function unanswered(messages: readonly Message[]): string[] {
  const answered = new Set(messages.filter((m) => m.role === 'tool').map((m) => m.toolCallId));
  return messages.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.id) : [])).filter((id) => !answered.has(id));
}

describe('fuzzing the loop', () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => void rejections.push(e);
  beforeAll(() => void process.on('unhandledRejection', onRejection));
  afterAll(() => void process.off('unhandledRejection', onRejection));

  it.each([['native', 0], ['json', 1000]] as const)('%s mode: thousands of generated replies, no crash, no invalid call run, nothing unanswered', async (mode, base) => {
    const violations: string[] = [];
    const runs = { n: 0 };
    const statuses: Record<string, number> = {};
    let replies = 0;
    for (let seed = base; seed < base + 400; seed++) {
      const r = rng(seed);
      const tools = fuzzTools(violations, runs);
      const requests: LLMRequest[] = [];
      const llm: LLMBackend = {
        async generate(req) {
          requests.push({ ...req, messages: req.messages.slice() });
          replies++;
          return mode === 'json' ? jsonReply(r) : nativeReply(r);
        },
      };
      const store = memoryStore();
      const events: LoopEvent[] = [];
      const hooks: Hook[] = [new CheckpointHook({ store, runId: `s${seed}` }), { onEvent: (e) => void events.push(e) }];
      if (r.chance(0.3)) hooks.push(new ApprovalHook({ tools: ['write'] }));
      const opts = { llm, tools, hooks, config: { toolCallMode: mode, maxSteps: 4 + r.int(8), parallelToolCalls: r.chance(0.8), maxNoToolCallTurns: 2 } } as const;
      let { outcome } = await collect(composableLoop({ ...opts, task: `fuzz ${seed}` })).catch((e: unknown) => { throw new Error(`seed ${seed}: the run threw ${String(e)}`); });
      // a paused run is answered, and goes on
      for (let k = 0; outcome.status === 'paused' && k < 3; k++) {
        const decisions = Object.fromEntries(outcome.pending!.map((p) => [p.id, approve()]));
        ({ outcome } = await collect(composableLoop({ ...opts, resume: outcome.checkpoint!, decisions })).catch((e: unknown) => { if (process.env.FUZZ_DEBUG) console.log(JSON.stringify(outcome.checkpoint!.batch, (k, v) => (typeof v === 'string' && v.length > 200 ? v.slice(0, 200) : v), 1).slice(0, 3000)); throw new Error(`seed ${seed}: the resume threw ${String(e)}`); }));
      }
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      expect(['done', 'max_steps', 'stopped', 'paused', 'error']).toContain(outcome.status);
      if (outcome.status === 'error') expect(['no_tool_call', 'llm_error']).toContain(outcome.reason);
      if (mode === 'native') for (const req of requests) expect({ seed, unanswered: unanswered(req.messages) }).toEqual({ seed, unanswered: [] });
      const saved = await store.get(`s${seed}`);
      if (saved) expect(readCheckpoint(JSON.parse(JSON.stringify(saved))).runId).toBe(`s${seed}`);
      expect(parseJSONL(toJSONL(events))).toHaveLength(events.length);
    }
    if (process.env.FUZZ_DEBUG) console.log(mode, { replies, runs: runs.n, statuses });
    expect(violations).toEqual([]);
    expect(rejections).toEqual([]);
    expect(replies).toBeGreaterThan(1000);
    expect(runs.n).toBeGreaterThan(50); // valid calls did run
    expect(statuses.done ?? 0).toBeGreaterThan(10);
  }, 120_000);
});
