import { describe, expect, it } from 'vitest';
import { compileSchema, validateSchema } from '../lib/tools/json-schema.ts';

const msgs = (schema: Record<string, unknown>, value: unknown) => validateSchema(schema, value).map((i) => `${i.path}: ${i.message}`);

describe('validateSchema', () => {
  it('checks types, telling integer from number and null from object', () => {
    expect(msgs({ type: 'string' }, 'x')).toEqual([]);
    expect(msgs({ type: 'string' }, 5)).toEqual([': expected string, got number']);
    expect(msgs({ type: 'integer' }, 1.5)).toEqual([': expected integer, got number']);
    expect(msgs({ type: 'integer' }, 2)).toEqual([]);
    expect(msgs({ type: 'object' }, null)).toEqual([': expected object, got null']);
    expect(msgs({ type: 'object' }, [])).toEqual([': expected object, got array']);
    expect(msgs({ type: ['string', 'null'] }, null)).toEqual([]);
    expect(msgs({ type: 'string', nullable: true }, null)).toEqual([]);
    expect(msgs({ type: 'number' }, Number.NaN)).toEqual([': expected number, got number']);
  });

  it('checks properties, required and additionalProperties, with paths', () => {
    const s = { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['name'], additionalProperties: false };
    expect(msgs(s, { name: 'a', tags: ['x'] })).toEqual([]);
    expect(msgs(s, { tags: ['x', 3], extra: 1 })).toEqual([
      ': missing required property "name"',
      '/tags/1: expected string, got number',
      ': unexpected property "extra" (allowed: name, tags)',
    ]);
    expect(msgs({ type: 'object', additionalProperties: { type: 'number' } }, { a: 1, b: 'x' })).toEqual(['/b: expected number, got string']);
  });

  it('checks enum and const with deep equality', () => {
    expect(msgs({ enum: ['a', 'b'] }, 'c')).toEqual([': must be one of ["a","b"]']);
    expect(msgs({ enum: [{ x: [1] }] }, { x: [1] })).toEqual([]);
    expect(msgs({ const: { x: 1 } }, { x: 2 })).toEqual([': must be {"x":1}']);
  });

  it('checks number bounds and multipleOf', () => {
    const s = { type: 'number', minimum: 1, maximum: 10, multipleOf: 0.5 };
    expect(msgs(s, 0)).toEqual([': must be >= 1']);
    expect(msgs(s, 11)).toEqual([': must be <= 10']);
    expect(msgs(s, 2.25)).toEqual([': must be a multiple of 0.5']);
    expect(msgs({ exclusiveMinimum: 0, exclusiveMaximum: 1 }, 1)).toEqual([': must be < 1']);
    expect(msgs({ exclusiveMinimum: 0 }, 0)).toEqual([': must be > 0']);
  });

  it('counts string length in code points and checks patterns', () => {
    expect(msgs({ maxLength: 2 }, '😀😀')).toEqual([]);
    expect(msgs({ minLength: 3 }, '😀😀')).toEqual([': must be at least 3 characters long']);
    expect(msgs({ pattern: '^a' }, 'ba')).toEqual([': must match pattern ^a']);
    expect(msgs({ pattern: '^\\p{Lu}' }, 'Éa')).toEqual([]);
  });

  it('reports an invalid pattern as an issue instead of throwing', () => {
    const check = compileSchema({ pattern: '(' });
    expect(check('x')[0]!.message).toMatch(/pattern "\(" is not a valid regular expression/);
  });

  it('checks array sizes, tuples and uniqueness', () => {
    expect(msgs({ minItems: 1, maxItems: 2 }, [])).toEqual([': must have at least 1 items']);
    expect(msgs({ maxItems: 2 }, [1, 2, 3])).toEqual([': must have at most 2 items']);
    expect(msgs({ prefixItems: [{ type: 'string' }, { type: 'number' }] }, ['a', 'b'])).toEqual(['/1: expected number, got string']);
    expect(msgs({ uniqueItems: true }, [{ a: 1 }, { a: 1 }])).toEqual([': items 0 and 1 are equal; items must be unique']);
    expect(msgs({ minProperties: 1 }, {})).toEqual([': must have at least 1 properties']);
  });

  it('checks anyOf, oneOf, allOf and not', () => {
    expect(msgs({ anyOf: [{ type: 'string' }, { type: 'number' }] }, 1)).toEqual([]);
    expect(msgs({ anyOf: [{ type: 'string' }, { type: 'number' }] }, true)[0]).toMatch(/must match at least one of 2 alternatives \(#1: \(value\) expected string, got boolean; #2/);
    expect(msgs({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1)).toEqual([': must match exactly one alternative, but matches 2']);
    expect(msgs({ allOf: [{ minimum: 1 }, { maximum: 2 }] }, 3)).toEqual([': must be <= 2']);
    expect(msgs({ not: { type: 'string' } }, 'x')).toEqual([': must not match the excluded schema']);
  });

  it('follows local $refs, recursive ones included', () => {
    const tree = {
      $defs: { node: { type: 'object', properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['value'] } },
      $ref: '#/$defs/node',
    };
    expect(msgs(tree, { value: 1, children: [{ value: 2, children: [{ value: 3 }] }] })).toEqual([]);
    expect(msgs(tree, { value: 1, children: [{ children: [{ value: 'x' }] }] })).toEqual([
      '/children/0: missing required property "value"',
      '/children/0/children/0/value: expected number, got string',
    ]);
    expect(msgs({ definitions: { n: { type: 'string' } }, properties: { a: { $ref: '#/definitions/n' } } }, { a: 1 })).toEqual(['/a: expected string, got number']);
    expect(msgs({ $ref: '#/$defs/missing' }, 1)[0]).toMatch(/cannot be resolved/);
  });

  it('caps the issues at 20', () => {
    const s = { type: 'array', items: { type: 'string' } };
    expect(validateSchema(s, Array.from({ length: 100 }, (_, i) => i))).toHaveLength(20);
  });

  it('compiles a schema object once', () => {
    const s = { type: 'object', properties: { a: { pattern: '^x' } } };
    const first = validateSchema(s, { a: 'y' });
    expect(validateSchema(s, { a: 'y' })).toEqual(first);
    const check = compileSchema(s);
    expect(check({ a: 'x' })).toEqual([]);
    expect(check({ a: 'z' })).toEqual([{ path: '/a', message: 'must match pattern ^x' }]);
  });
});

describe('the core keywords and the full validator', () => {
  const cases: [Record<string, unknown>, unknown][] = [
    [{ type: 'object', properties: { a: { type: 'string', enum: ['x', 'y'] }, b: { type: 'array', items: { type: 'integer' } } }, required: ['a', 'c'], additionalProperties: false }, { a: 'z', b: [1, 'two', 3.5], d: true }],
    [{ type: 'object', properties: { p: { prefixItems: [{ type: 'string' }, { const: 1 }], items: { type: 'null' } } }, additionalProperties: { type: 'number' } }, { p: [1, 2, 3], q: 'no' }],
    [{ type: 'object', minProperties: 2, properties: { n: { type: 'object', nullable: true, properties: { deep: { enum: [[1], { k: 1 }] } } } } }, { n: { deep: { k: 2 } } }],
    [{ type: 'object', properties: { t: { items: [{ type: 'boolean' }] } } }, { t: ['yes', 1] }],
  ];
  it('a registered tool whose schema uses only the core keywords reports exactly what compileSchema reports, synchronously', async () => {
    const { ToolRegistry } = await import('../lib/tools/registry.ts');
    const { coreOnly } = await import('../lib/tools/schema-core.ts');
    for (const [i, [schema, value]] of cases.entries()) {
      expect(coreOnly(schema)).toBe(true);
      const tool = new ToolRegistry().register({ name: `t${i}`, description: '', parameters: schema, execute: () => 0 }).get(`t${i}`)!;
      const got = tool.validate(value as Record<string, unknown>);
      expect(got).not.toBeInstanceOf(Promise);
      expect(got).toEqual({ ok: false, issues: compileSchema(tool.parameters)(value) });
      expect(compileSchema(tool.parameters)(value).length).toBeGreaterThan(0);
    }
  });

  it('a tool whose schema needs more (ranges, patterns, $ref, combinators) loads the full validator and still rejects bad arguments', async () => {
    const { ToolRegistry } = await import('../lib/tools/registry.ts');
    const { coreOnly } = await import('../lib/tools/schema-core.ts');
    const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 1 }, s: { anyOf: [{ type: 'string', pattern: '^a' }, { $ref: '#/$defs/z' }] } }, $defs: { z: { const: 0 } } };
    expect(coreOnly(schema)).toBe(false);
    expect(coreOnly({ properties: { deep: { items: { maxLength: 3 } } } })).toBe(false);
    const tool = new ToolRegistry().register({ name: 'rng', description: '', parameters: schema, execute: () => 0 }).get('rng')!;
    expect(await tool.validate({ n: 0, s: 'b' })).toEqual({ ok: false, issues: compileSchema(tool.parameters)({ n: 0, s: 'b' }) });
    expect(await tool.validate({ n: 0, s: 'b' })).toMatchObject({ ok: false, issues: [{ path: '/n', message: 'must be >= 1' }, { path: '/s' }] });
    expect(tool.validate({ n: 2, s: 'abc' })).toEqual({ ok: true, value: { n: 2, s: 'abc' } }); // compiled now: sync
  });
});
