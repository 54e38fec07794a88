// A small JSON Schema validator for tool arguments: the keywords tool schemas use, compiled
// once to closures so validating a call does no schema walking. The common keywords are in
// schema-core.ts; this file adds ranges, lengths, patterns, array bounds, combinators and $ref.

import { compileWith, enumKeyword, itemsKeyword, jsonEqual, objectKeyword, show, typeKeyword, type Check, type Keyword, type Schema, type SchemaIssue, type Validator } from './schema-core.ts';

export type { SchemaIssue, Validator } from './schema-core.ts';

const num = (s: Record<string, unknown>, k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);

const refKeyword: Keyword = (s, sub, root, refs) => (typeof s.$ref === 'string' ? resolveRef(s.$ref, root, refs, sub) : undefined);

const numberKeyword: Keyword = (s) => {
  const min = num(s, 'minimum'), max = num(s, 'maximum'), xmin = num(s, 'exclusiveMinimum'), xmax = num(s, 'exclusiveMaximum'), mult = num(s, 'multipleOf');
  if (min === undefined && max === undefined && xmin === undefined && xmax === undefined && mult === undefined) return undefined;
  return (v, path, out) => {
    if (typeof v !== 'number') return;
    if (min !== undefined && v < min) out.push({ path, message: `must be >= ${min}` });
    if (max !== undefined && v > max) out.push({ path, message: `must be <= ${max}` });
    if (xmin !== undefined && v <= xmin) out.push({ path, message: `must be > ${xmin}` });
    if (xmax !== undefined && v >= xmax) out.push({ path, message: `must be < ${xmax}` });
    if (mult !== undefined && mult > 0) {
      const q = v / mult;
      if (Math.abs(q - Math.round(q)) > 1e-9) out.push({ path, message: `must be a multiple of ${mult}` });
    }
  };
};

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

const stringKeyword: Keyword = (s) => {
  const minLen = num(s, 'minLength'), maxLen = num(s, 'maxLength');
  let pattern: RegExp | undefined;
  let badPattern: string | undefined;
  if (typeof s.pattern === 'string') {
    try {
      pattern = new RegExp(s.pattern, 'u');
    } catch {
      try {
        pattern = new RegExp(s.pattern);
      } catch (err) {
        badPattern = `the schema's pattern ${show(s.pattern)} is not a valid regular expression (${(err as Error).message})`;
      }
    }
  }
  if (minLen === undefined && maxLen === undefined && !pattern && !badPattern) return undefined;
  const src = s.pattern as string;
  return (v, path, out) => {
    if (typeof v !== 'string') return;
    if (minLen !== undefined || maxLen !== undefined) {
      const n = codePoints(v);
      if (minLen !== undefined && n < minLen) out.push({ path, message: `must be at least ${minLen} characters long` });
      if (maxLen !== undefined && n > maxLen) out.push({ path, message: `must be at most ${maxLen} characters long` });
    }
    if (badPattern) out.push({ path, message: badPattern });
    else if (pattern && !pattern.test(v)) out.push({ path, message: `must match pattern ${src}` });
  };
};

const arrayBoundsKeyword: Keyword = (s) => {
  const minItems = num(s, 'minItems'), maxItems = num(s, 'maxItems');
  if (minItems === undefined && maxItems === undefined) return undefined;
  return (v, path, out) => {
    if (!Array.isArray(v)) return;
    if (minItems !== undefined && v.length < minItems) out.push({ path, message: `must have at least ${minItems} items` });
    if (maxItems !== undefined && v.length > maxItems) out.push({ path, message: `must have at most ${maxItems} items` });
  };
};

const uniqueKeyword: Keyword = (s) => {
  if (s.uniqueItems !== true) return undefined;
  return (v, path, out) => {
    if (!Array.isArray(v)) return;
    for (let i = 0; i < v.length; i++) {
      for (let j = i + 1; j < v.length; j++) {
        if (jsonEqual(v[i], v[j])) return void out.push({ path, message: `items ${i} and ${j} are equal; items must be unique` });
      }
    }
  };
};

const combinatorKeyword: Keyword = (s, sub) => {
  const checks: Check[] = [];
  if (Array.isArray(s.allOf)) {
    const all = (s.allOf as Schema[]).map(sub);
    checks.push((v, path, out) => { for (const c of all) c(v, path, out); });
  }
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const one = Array.isArray(s.oneOf);
    const alts = ((one ? s.oneOf : s.anyOf) as Schema[]).map(sub);
    checks.push((v, path, out) => {
      const failures: string[] = [];
      let matched = 0;
      for (const c of alts) {
        const found: SchemaIssue[] = [];
        c(v, path, found);
        if (found.length === 0) matched++;
        else failures.push(found.map((i) => `${i.path || '(value)'} ${i.message}`).slice(0, 2).join(', '));
      }
      if (matched === 0) out.push({ path, message: `must match ${one ? 'exactly one' : 'at least one'} of ${alts.length} alternatives (${failures.map((f, i) => `#${i + 1}: ${f}`).join('; ')})` });
      else if (one && matched > 1) out.push({ path, message: `must match exactly one alternative, but matches ${matched}` });
    });
  }
  if (s.not !== undefined) {
    const not = sub(s.not as Schema);
    checks.push((v, path, out) => {
      const found: SchemaIssue[] = [];
      not(v, path, found);
      if (found.length === 0) out.push({ path, message: 'must not match the excluded schema' });
    });
  }
  return checks.length === 0 ? undefined : (v, path, out) => { for (const c of checks) c(v, path, out); };
};

/** Local `$ref`s (`#`, `#/$defs/x`, `#/definitions/x`), compiled once each; recursion goes through a late-bound slot. */
function resolveRef(ref: string, root: Schema, refs: Map<string, Check>, sub: (s: Schema) => Check): Check {
  const known = refs.get(ref);
  if (known) return known;
  let target: Check | undefined;
  const late: Check = (v, path, out) => target!(v, path, out);
  refs.set(ref, late);
  const node = pointer(root, ref);
  target = node === undefined ? (_v, path, out) => void out.push({ path, message: `the schema's $ref ${ref} cannot be resolved` }) : sub(node);
  return late;
}

function pointer(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref.slice(1).split('/').filter(Boolean).map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
  let node: unknown = root;
  for (const p of parts) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[p];
  }
  return typeof node === 'object' || typeof node === 'boolean' ? (node as Schema) : undefined;
}

/** Every keyword, in the order issues are reported. */
const ALL: readonly Keyword[] = [
  refKeyword, typeKeyword, enumKeyword, numberKeyword, stringKeyword, arrayBoundsKeyword, itemsKeyword, uniqueKeyword, objectKeyword, combinatorKeyword,
];

/** Compiles a schema to a validator. Unknown keywords (description, format, default…) are ignored. */
export function compileSchema(schema: { readonly [k: string]: unknown }): Validator {
  return compileWith(ALL, schema);
}

const cache = new WeakMap<object, Validator>();

/** Validates with a validator compiled once per schema object. */
export function validateSchema(schema: { readonly [k: string]: unknown }, value: unknown): SchemaIssue[] {
  let v = cache.get(schema);
  if (!v) cache.set(schema, (v = compileSchema(schema)));
  return v(value);
}
