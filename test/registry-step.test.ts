import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { doneTool, LoopletError, Step, ToolRegistry, type StandardSchemaV1 } from '../lib/index.ts';
import { call, done, reply, runScript } from './helpers.ts';

describe('ToolRegistry', () => {
  it('registers chainably and lists schemas in order', () => {
    const reg = new ToolRegistry()
      .register({ name: 'a', description: 'A.', parameters: { type: 'object', properties: { x: { type: 'number' } } }, execute: () => 1 })
      .register(doneTool());
    expect(reg.list().map((t) => t.name)).toEqual(['a', 'done']);
    expect(reg.get('a')!.description).toBe('A.');
    expect(reg.schemas()).toEqual([
      { name: 'a', description: 'A.', parameters: { type: 'object', properties: { x: { type: 'number' } } } },
      { name: 'done', description: expect.any(String), parameters: expect.objectContaining({ type: 'object' }) },
    ]);
  });

  it('refuses a duplicate name instead of overwriting it', () => {
    const reg = new ToolRegistry().register({ name: 'a', description: '', parameters: { type: 'object' }, execute: () => 1 });
    expect(() => reg.register({ name: 'a', description: '', parameters: { type: 'object' }, execute: () => 2 })).toThrow(LoopletError);
    expect(() => reg.register({ name: 'a', description: '', parameters: { type: 'object' }, execute: () => 2 })).toThrow(/already registered/);
  });

  it('refuses invalid names, non-object schemas and missing execute', () => {
    const reg = new ToolRegistry();
    expect(() => reg.register({ name: 'has space', description: '', parameters: { type: 'object' }, execute: () => 1 })).toThrow(/invalid/);
    expect(() => reg.register({ name: 'x', description: '', parameters: { type: 'string' }, execute: () => 1 })).toThrow(/must describe an object/);
    expect(() => reg.register({ name: 'x', description: '', parameters: { type: 'object' } } as never)).toThrow(/execute/);
  });

  it('accepts a zod schema: validates with it, and shows the model its JSON Schema', async () => {
    const tools = new ToolRegistry().register({
      name: 'book',
      description: 'Book seats.',
      parameters: z.object({ seats: z.number().int().min(1), name: z.string().default('guest') }),
      execute: ({ seats, name }) => `${seats} for ${name}`, // typed from the schema
    });
    const schema = tools.schemas()[0]!.parameters;
    expect(schema).toMatchObject({ type: 'object', properties: { seats: { type: 'integer' } }, required: ['seats'] });
    expect(schema).not.toHaveProperty('$schema');
    const { steps } = await runScript([reply(call('book', { seats: 2 })), reply(call('book', { seats: 0 })), done()], { tools });
    expect(steps[0]!.toolResult.data).toBe('2 for guest'); // the schema's output (default applied) is what the tool gets
    expect(steps[0]!.toolCall.args).toEqual({ seats: 2, name: 'guest' });
    expect(steps[1]!.toolResult.error).toMatchObject({ kind: 'invalid_args', message: expect.stringMatching(/^Invalid arguments for book: \/seats: /) });
  });

  it('accepts any Standard Schema with a jsonSchema field, and refuses one with no JSON Schema at all', async () => {
    const even: StandardSchemaV1<{ n: number }> = {
      '~standard': {
        version: 1, vendor: 'hand-made',
        validate: (v) => {
          const n = (v as { n?: unknown }).n;
          return typeof n === 'number' && n % 2 === 0 ? { value: { n } } : { issues: [{ message: 'n must be even', path: ['n'] }] };
        },
      },
    };
    expect(() => new ToolRegistry().register({ name: 'e', description: '', parameters: even, execute: () => 1 })).toThrow(/no JSON Schema converter.*jsonSchema/);
    const tools = new ToolRegistry().register({
      name: 'e', description: 'Even.', parameters: even, jsonSchema: { type: 'object', properties: { n: { type: 'integer' } } },
      execute: ({ n }) => n / 2,
    });
    const { steps } = await runScript([reply(call('e', { n: 4 }), call('e', { n: 3 })), done()], { tools });
    expect(steps[0]!.toolResult.data).toBe(2);
    expect(steps[1]!.toolResult.error!.message).toBe('Invalid arguments for e: /n: n must be even. You sent: {"n":3}');
  });
});

describe('Step', () => {
  const make = (over: Partial<ConstructorParameters<typeof Step>[0]> = {}) =>
    new Step({
      index: 3, status: 'ok', toolCall: { id: 'c', name: 'search', args: { query: 'cats', limit: 5, __reasoning: 'hidden' } },
      toolResult: { data: [1, 2, 3], durationMs: 182.4 }, timing: { llmMs: 10, toolMs: 182.4 }, ...over,
    });

  it('pretty() follows the seed format', () => {
    expect(make().pretty()).toBe("#3 ✓ search(query='cats', limit=5) → 3 items [182ms]");
    expect(make({ toolResult: { data: 'a short answer', durationMs: 1 } }).pretty()).toBe("#3 ✓ search(query='cats', limit=5) → 'a short answer' [1ms]");
    expect(make({ toolResult: { data: 42, durationMs: 0 } }).pretty()).toMatch(/→ 42 \[0ms\]$/);
    expect(make({ status: 'error', toolResult: { error: { kind: 'tool_error', message: 'boom', retriable: false }, durationMs: 2 } }).pretty()).toMatch(/^#3 ✗ .* → ERROR: boom \[2ms\]$/);
    expect(make({ status: 'paused', toolResult: { error: { kind: 'denied', message: 'needs approval', retriable: true }, durationMs: 0 } }).pretty()).toMatch(/^#3 ⏸ .* → PAUSED: needs approval/);
    const long = make({ toolCall: { id: 'c', name: 'w', args: { text: 'x'.repeat(500) } } }).pretty();
    expect(long.length).toBeLessThan(120);
  });

  it('is immutable', () => {
    const s = make();
    expect(Object.isFrozen(s)).toBe(true);
    expect(() => { (s as { index: number }).index = 9; }).toThrow(TypeError);
    expect(() => { (s.toolCall as { name: string }).name = 'x'; }).toThrow(TypeError);
  });

  it('toJSON() round-trips through JSON and fromJSON', () => {
    const s = make({ usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } });
    const back = Step.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(back.pretty()).toBe(s.pretty());
  });

  it('steps yielded by the loop keep their recorded args even if a tool mutates its input', async () => {
    const { ToolRegistry: R } = await import('../lib/index.ts');
    const tools = new R().register({ name: 'm', description: '', parameters: { type: 'object' }, execute: (a) => { (a as Record<string, unknown>).x = 'changed'; return 1; } });
    const { steps } = await runScript([reply(call('m', { x: 'orig' })), done()], { tools });
    expect(Object.isFrozen(steps[0]!.toolCall.args)).toBe(true);
    expect(steps[0]!.toolCall.args).toEqual({ x: 'orig' });
    expect(steps[0]!.status).toBe('ok');
  });
});
