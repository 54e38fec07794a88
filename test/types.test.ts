// Types that infer: checked by `tsc -p tsconfig.json` (expectTypeOf and @ts-expect-error lines),
// and run by vitest, where the type assertions are no-ops and a few runs check the values too.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  agentTool, allow, ApprovalHook, collect, composableLoop, defineHook, deny, inject, MetricsHook, MockLLMBackend, pause, PermissionHook,
  doneTool, respond, rewrite, stop, tool, ToolRegistry,
  type Checkpoint, type CompactResult, type FromJSONSchema, type Hook, type HookContext, type HookFn, type JSONSchema,
  type LoopEvent, type LoopOutcome, type Message, type Step, type ToolArgs, type ToolCall, type ToolContext, type ToolResult, type ToolSpec,
} from '../lib/index.ts';

const llm = () => new MockLLMBackend([{ toolCalls: [{ name: 'done', arguments: { answer: 'ok' } }] }]);

describe('FromJSONSchema', () => {
  it('maps primitive types, a type array, enum and const', () => {
    expectTypeOf<FromJSONSchema<{ type: 'string' }>>().toEqualTypeOf<string>();
    expectTypeOf<FromJSONSchema<{ type: 'number' }>>().toEqualTypeOf<number>();
    expectTypeOf<FromJSONSchema<{ type: 'integer' }>>().toEqualTypeOf<number>();
    expectTypeOf<FromJSONSchema<{ type: 'boolean' }>>().toEqualTypeOf<boolean>();
    expectTypeOf<FromJSONSchema<{ type: 'null' }>>().toEqualTypeOf<null>();
    expectTypeOf<FromJSONSchema<{ readonly type: readonly ['string', 'null'] }>>().toEqualTypeOf<string | null>();
    expectTypeOf<FromJSONSchema<{ readonly type: 'string'; readonly enum: readonly ['c', 'f'] }>>().toEqualTypeOf<'c' | 'f'>();
    expectTypeOf<FromJSONSchema<{ readonly enum: readonly [1, 'two', null] }>>().toEqualTypeOf<1 | 'two' | null>();
    expectTypeOf<FromJSONSchema<{ readonly const: 'fixed' }>>().toEqualTypeOf<'fixed'>();
    expectTypeOf<FromJSONSchema<{}>>().toEqualTypeOf<unknown>();
    expectTypeOf<FromJSONSchema<{ $ref: '#/$defs/x' }>>().toEqualTypeOf<unknown>();
  });

  it('maps objects: required keys, optional others, nested objects and arrays', () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string' },
        days: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
        any: { type: 'array' },
        at: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } }, required: ['lat', 'lon'] },
        points: { type: 'array', items: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
      },
      required: ['city', 'at'],
    } as const;
    expectTypeOf<FromJSONSchema<typeof schema>>().toEqualTypeOf<{
      city: string;
      at: { lat: number; lon: number };
      days?: number;
      tags?: string[];
      any?: unknown[];
      points?: { x: number }[];
    }>();
    // `properties` without `type` is an object too; a required key without a property holds anything.
    expectTypeOf<FromJSONSchema<{ readonly properties: { readonly a: { readonly type: 'string' } }; readonly required: readonly ['a', 'b'] }>>()
      .toEqualTypeOf<{ a: string; b: unknown }>();
  });

  it('maps additionalProperties', () => {
    type Closed = FromJSONSchema<{ readonly type: 'object'; readonly properties: { readonly a: { readonly type: 'string' } }; readonly additionalProperties: false }>;
    expectTypeOf<Closed>().toEqualTypeOf<{ a?: string }>();
    type Open = FromJSONSchema<{ readonly type: 'object'; readonly additionalProperties: true }>;
    expectTypeOf<Open>().toEqualTypeOf<{ [key: string]: unknown }>();
    // no properties and no additionalProperties: anything goes
    expectTypeOf<FromJSONSchema<{ readonly type: 'object' }>>().toEqualTypeOf<{ [key: string]: unknown }>();
    expectTypeOf<FromJSONSchema<{ readonly type: 'object'; readonly additionalProperties: false }>>().toEqualTypeOf<{}>();
    type Map = FromJSONSchema<{ readonly type: 'object'; readonly additionalProperties: { readonly type: 'number' } }>;
    expectTypeOf<Map>().toEqualTypeOf<{ [key: string]: number }>();
    type Both = FromJSONSchema<{ readonly type: 'object'; readonly properties: { readonly id: { readonly type: 'string' } }; readonly required: readonly ['id']; readonly additionalProperties: { readonly type: 'number' } }>;
    expectTypeOf<Both['id']>().toEqualTypeOf<string>();
    expectTypeOf<Both['other']>().toEqualTypeOf<number>();
  });

  it('maps anyOf / oneOf to a union', () => {
    expectTypeOf<FromJSONSchema<{ readonly anyOf: readonly [{ readonly type: 'string' }, { readonly type: 'number' }] }>>().toEqualTypeOf<string | number>();
    const shape = {
      oneOf: [
        { type: 'object', properties: { kind: { const: 'circle' }, r: { type: 'number' } }, required: ['kind', 'r'] },
        { type: 'object', properties: { kind: { const: 'square' }, side: { type: 'number' } }, required: ['kind', 'side'] },
      ],
    } as const;
    expectTypeOf<FromJSONSchema<typeof shape>>().toEqualTypeOf<{ kind: 'circle'; r: number } | { kind: 'square'; side: number }>();
  });

  it('says nothing about a widened schema', () => {
    const plain = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
    expectTypeOf<ToolArgs<typeof plain>>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<ToolArgs<JSONSchema>>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<ToolArgs<{ readonly type: 'string' }>>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<FromJSONSchema<{ type: string }>>().toEqualTypeOf<unknown>();
    expectTypeOf<FromJSONSchema<{ enum: string[] }>>().toEqualTypeOf<unknown>();
    // `type` literal but `required` widened: no key can be trusted as required
    expectTypeOf<FromJSONSchema<{ type: 'object'; properties: { a: { type: 'string' } }; required: string[] }>>().toEqualTypeOf<{ a?: string }>();
  });
});

describe('tool()', () => {
  it('infers execute’s arguments from a JSON Schema written as const', () => {
    const weather = tool({
      name: 'weather',
      description: 'The weather in a city.',
      parameters: { type: 'object', properties: { city: { type: 'string' }, units: { enum: ['c', 'f'] } }, required: ['city'] } as const,
      execute: ({ city, units }, ctx) => {
        expectTypeOf(city).toEqualTypeOf<string>();
        expectTypeOf(units).toEqualTypeOf<'c' | 'f' | undefined>();
        expectTypeOf(ctx).toEqualTypeOf<ToolContext>();
        return `${city} ${units ?? 'c'}`;
      },
    });
    expect(weather.name).toBe('weather');
    expectTypeOf(weather).toExtend<ToolSpec>();
  });

  it('infers from an inline schema without `as const` too (a const type parameter)', () => {
    tool({
      name: 'search', description: 'Search.',
      parameters: { type: 'object', properties: { query: { type: 'string', minLength: 1 }, limit: { type: 'integer', maximum: 50 } }, required: ['query'] },
      execute: ({ query, limit }) => {
        expectTypeOf(query).toEqualTypeOf<string>();
        expectTypeOf(limit).toEqualTypeOf<number | undefined>();
      },
    });
  });

  it('keeps Record<string, unknown> for a schema kept in a plain variable', () => {
    const parameters = { type: 'object', properties: { q: { type: 'string' } } };
    tool({ name: 'q', description: 'q', parameters, execute: (args) => expectTypeOf(args).toEqualTypeOf<Record<string, unknown>>() });
  });

  it('infers zod output, defaults and transforms included', () => {
    tool({
      name: 'book', description: 'Book seats.',
      parameters: z.object({ seats: z.number().int().min(1), note: z.string().optional(), class: z.enum(['eco', 'biz']).default('eco') }),
      execute: ({ seats, note, class: cls }) => {
        expectTypeOf(seats).toEqualTypeOf<number>();
        expectTypeOf(note).toEqualTypeOf<string | undefined>();
        expectTypeOf(cls).toEqualTypeOf<'eco' | 'biz'>();
      },
    });
  });

  it('rejects what the schema does not declare', () => {
    tool({
      name: 'w', description: 'w',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } as const,
      // @ts-expect-error `cty` is not a property of the schema
      execute: ({ cty }) => cty,
    });
    tool({
      name: 'w', description: 'w',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } as const,
      // @ts-expect-error `city` is a string
      execute: ({ city }) => city.toFixed(),
    });
    tool({
      name: 'b', description: 'b', parameters: z.object({ seats: z.number() }),
      // @ts-expect-error zod's output has no `seat`
      execute: ({ seat }) => seat,
    });
  });
});

describe('ToolRegistry.register', () => {
  it('infers like tool(), for JSON Schema and zod, and still takes untyped specs', () => {
    const spec: ToolSpec = { name: 'plain', description: 'p', parameters: { type: 'object' }, execute: (args) => expectTypeOf(args).toEqualTypeOf<Record<string, unknown>>() };
    const reg = new ToolRegistry()
      .register({
        name: 'search', description: 'Search the docs.',
        parameters: { type: 'object', properties: { query: { type: 'string', minLength: 1 }, limit: { type: 'integer', maximum: 50 } }, required: ['query'] },
        timeoutMs: 10_000,
        execute: async ({ query, limit }, ctx) => {
          expectTypeOf(query).toEqualTypeOf<string>();
          expectTypeOf(limit).toEqualTypeOf<number | undefined>();
          expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
        },
      })
      .register({ name: 'book', description: 'b', parameters: z.object({ seats: z.number() }), execute: ({ seats }) => expectTypeOf(seats).toEqualTypeOf<number>() })
      .register(spec)
      .register(tool({ name: 'w', description: 'w', parameters: { type: 'object', properties: { city: { type: 'string' } } } as const, execute: ({ city }) => city }));
    expect(reg.size).toBe(4);
    // @ts-expect-error `q` is not a property of the schema
    reg.register({ name: 'x', description: 'x', parameters: { type: 'object', properties: { query: { type: 'string' } } }, execute: ({ q }) => q });
  });
});

describe('tools: [...]', () => {
  const zodSpec = tool({ name: 'book', description: 'b', parameters: z.object({ seats: z.number() }), execute: ({ seats }) => seats });
  const jsonSpec = tool({ name: 'w', description: 'w', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } as const, execute: ({ city }) => city });
  const plainSpec: ToolSpec = { name: 'p', description: 'p', parameters: { type: 'object' }, execute: () => 1 };

  it('takes specs of mixed schemas, declared apart or inline, and types each inline execute', async () => {
    const specs = [zodSpec, jsonSpec, plainSpec];
    const outcome = await collect(composableLoop({ llm: llm(), task: 't', tools: specs }));
    expect(outcome.outcome.status).toBe('done');
    const list: ToolSpec[] = [zodSpec, jsonSpec, plainSpec];
    composableLoop({ llm: llm(), task: 't', tools: list });
    composableLoop({
      llm: llm(), task: 't',
      tools: [
        zodSpec,
        { name: 'n', description: 'n', parameters: z.object({ n: z.number() }), execute: ({ n }) => expectTypeOf(n).toEqualTypeOf<number>() },
        { name: 'c', description: 'c', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, execute: ({ city }) => expectTypeOf(city).toEqualTypeOf<string>() },
        { name: 'r', description: 'r', parameters: { type: 'object', properties: {} } as JSONSchema, execute: (args) => expectTypeOf(args).toEqualTypeOf<Record<string, unknown>>() },
      ],
    });
  });

  it('rejects an inline spec whose execute reads what its schema does not declare', () => {
    composableLoop({
      llm: llm(), task: 't',
      // @ts-expect-error `seat` is not in the zod schema's output
      tools: [{ name: 'n', description: 'n', parameters: z.object({ seats: z.number() }), execute: ({ seat }) => seat }],
    });
  });

  it('takes mixed specs wherever a ToolSpec array goes (agentTool, doneTool beside them)', () => {
    const sub = agentTool({
      name: 'researcher', description: 'Research a topic.', llm: llm(), tools: [zodSpec, jsonSpec, doneTool()],
      parameters: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] } as const,
      task: ({ topic }) => {
        expectTypeOf(topic).toEqualTypeOf<string>();
        return `Research ${topic}.`;
      },
    });
    composableLoop({ llm: llm(), task: 't', tools: [sub, zodSpec, doneTool()] });
    new ToolRegistry().register(sub);
  });

  it('takes a registry', () => {
    composableLoop({ llm: llm(), task: 't', tools: new ToolRegistry().register(zodSpec).register(jsonSpec) });
  });
});

describe('hooks', () => {
  it('defineHook types every slot’s parameters and checks its return', () => {
    const h = defineHook({
      name: 'all',
      preLoop: (ctx) => { expectTypeOf(ctx).toEqualTypeOf<HookContext>(); },
      prePrompt: (ctx, messages) => {
        expectTypeOf(messages).toEqualTypeOf<readonly Message[]>();
        return messages.length > 10 ? messages.slice(-10) : `Step ${ctx.step}.`;
      },
      preDispatch: (_ctx, call) => {
        expectTypeOf(call).toEqualTypeOf<ToolCall>();
        if (call.name === 'bash') return deny('no');
        if (call.name === 'search' && !call.args.limit) return rewrite({ ...call.args, limit: 10 });
        if (call.name === 'cached') return respond('from cache');
        if (call.name === 'pay') return pause('needs a human');
        return call.name === 'halt' ? stop('halted') : allow();
      },
      postDispatch: (_ctx, call, result) => {
        expectTypeOf(result).toEqualTypeOf<ToolResult>();
        return result.error ? inject(`${call.name} failed`) : undefined;
      },
      checkDone: (_ctx, call) => (String(call.args.answer).includes('http') ? allow() : 'cite a source'),
      shouldStop: (_ctx, step) => {
        expectTypeOf(step).toEqualTypeOf<Step>();
        return step.index > 20;
      },
      onLoopEnd: (_ctx, outcome) => { expectTypeOf(outcome).toEqualTypeOf<LoopOutcome>(); },
      onCheckpoint: async (checkpoint, ctx) => {
        expectTypeOf(checkpoint).toEqualTypeOf<Checkpoint>();
        expectTypeOf(ctx).toEqualTypeOf<HookContext>();
      },
      compact: (_ctx, messages, reason) => {
        expectTypeOf(reason).toEqualTypeOf<'threshold' | 'emergency'>();
        expectTypeOf(messages).toEqualTypeOf<readonly Message[]>();
        return undefined;
      },
      onEvent: (event) => { expectTypeOf(event).toEqualTypeOf<LoopEvent>(); },
    });
    expectTypeOf(h).toEqualTypeOf<Hook>();
    expect(h.name).toBe('all');
  });

  it('refuses a decision a slot does not take', () => {
    // @ts-expect-error preDispatch cannot inject
    defineHook({ preDispatch: () => inject('no') });
    // @ts-expect-error checkDone cannot rewrite
    defineHook({ checkDone: () => rewrite({}) });
    // @ts-expect-error postDispatch cannot pause
    composableLoop({ llm: llm(), task: 't', tools: [], hooks: [{ postDispatch: () => pause('no') }] });
    // @ts-expect-error shouldStop returns a boolean or stop()
    defineHook({ shouldStop: () => 'yes' });
    // @ts-expect-error compact returns a CompactResult
    defineHook({ compact: (_ctx, messages) => messages });
    // @ts-expect-error not a hook slot
    defineHook({ preDispach: () => undefined });
  });

  it('types inline literals in hooks: [...], beside class hooks and hooks written apart', () => {
    const dateHook = defineHook({ prePrompt: () => `Today is ${new Date().toDateString()}.` });
    const redact: Hook = { prePrompt: (_ctx, msgs) => msgs.map((m) => ({ ...m, content: m.content.replace(/\S+@\S+/g, '[email]') })) };
    const guard: HookFn<'preDispatch'> = (_ctx, call) => (call.name === 'bash' ? deny('no') : undefined);
    composableLoop({
      llm: llm(), task: 't', tools: [],
      hooks: [
        new ApprovalHook(), new PermissionHook({ rules: [] }), new MetricsHook(), dateHook, redact, { preDispatch: guard },
        { preDispatch: (_ctx, call) => (String(call.args.cmd).startsWith('rm ') ? deny('no deleting') : undefined) },
        { postDispatch: (_ctx, call, result) => (JSON.stringify(result.data ?? '').length > 10_000 ? `${call.name} returned a lot` : undefined) },
        { checkDone: (_ctx, call) => (String(call.args.answer).includes('http') ? undefined : 'cite a source') },
        { shouldStop: (_ctx, step) => (step.usage?.totalTokens ?? 0) > 50_000 },
      ],
    });
  });

  it('HookFn is one slot’s function type', () => {
    expectTypeOf<Parameters<HookFn<'postDispatch'>>>().toEqualTypeOf<[ctx: HookContext, call: ToolCall, result: ToolResult]>();
    expectTypeOf<Parameters<HookFn<'onCheckpoint'>>>().toEqualTypeOf<[checkpoint: Checkpoint, ctx: HookContext]>();
    expectTypeOf<Awaited<ReturnType<HookFn<'compact'>>>>().toEqualTypeOf<void | undefined | null | CompactResult>();
    // @ts-expect-error not a slot
    type _Nope = HookFn<'preDispach'>;
  });
});

describe('typed state', () => {
  type Counter = { count: number; seen: string[] };

  it('is inferred from `state` for inline hooks and tools', async () => {
    const outcome = await collect(composableLoop({
      llm: new MockLLMBackend([{ toolCalls: [{ name: 'tick', arguments: {} }] }, { toolCalls: [{ name: 'done', arguments: { answer: 'ok' } }] }]),
      task: 't',
      state: { count: 0, seen: [] as string[] },
      tools: [{ name: 'tick', description: 't', parameters: { type: 'object' }, execute: (_args, ctx) => ++ctx.state.count }],
      hooks: [
        new MetricsHook(),
        { preDispatch: (ctx, call) => void ctx.state.seen.push(call.name) },
        // @ts-expect-error count is a number
        { preLoop: (ctx) => ctx.state.count.toUpperCase() },
      ],
    }));
    expect(outcome.outcome.status).toBe('done');
  });

  it('is given explicitly, to composableLoop or defineHook, and checks the state passed', () => {
    const counting = defineHook<Counter>({ postDispatch: (ctx) => void ctx.state.count++ });
    expectTypeOf(counting).toEqualTypeOf<Hook<Counter>>();
    composableLoop<Counter>({
      llm: llm(), task: 't', tools: [], state: { count: 0, seen: [] },
      hooks: [counting, new ApprovalHook(), { shouldStop: (ctx) => ctx.state.count > 3 }],
    });
    composableLoop({ llm: llm(), task: 't', tools: [], state: { count: 0, seen: [] }, hooks: [counting] });
    // @ts-expect-error the state is not a Counter
    composableLoop<Counter>({ llm: llm(), task: 't', tools: [], state: { count: 'zero', seen: [] } });
    // a tool typed for the state
    const tick = tool({ name: 'tick', description: 't', parameters: z.object({}), execute: (_a, ctx: ToolContext<Counter>) => ctx.state.count++ });
    composableLoop({ llm: llm(), task: 't', tools: [tick], state: { count: 0, seen: [] } });
  });

  it('types a class hook written for the state', () => {
    class Ticks implements Hook<Counter> {
      postDispatch(ctx: HookContext<Counter>): void {
        ctx.state.count++;
      }
    }
    composableLoop({ llm: llm(), task: 't', tools: [], state: { count: 0, seen: [] }, hooks: [new Ticks(), new MetricsHook()] });
  });

  it('stays Record<string, unknown> by default, and for `state: {}`', () => {
    composableLoop({
      llm: llm(), task: 't', tools: [],
      hooks: [{ preLoop: (ctx) => { expectTypeOf(ctx.state).toEqualTypeOf<Record<string, unknown>>(); } }],
    });
    composableLoop({
      llm: llm(), task: 't', state: {},
      tools: [{ name: 't', description: 't', parameters: { type: 'object' }, execute: (_a, ctx) => { ctx.state.n = 1; } }],
      hooks: [{ preLoop: (ctx) => { ctx.state.n = 1; } }],
    });
  });
});
