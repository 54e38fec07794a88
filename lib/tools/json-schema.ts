// A small JSON Schema validator for tool arguments: the keywords tool schemas use, compiled
// once to closures so validating a call does no schema walking.

export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

export type Validator = (value: unknown) => SchemaIssue[];

type Schema = { readonly [k: string]: unknown } | boolean;
type Check = (value: unknown, path: string, out: SchemaIssue[]) => void;

const MAX_ISSUES = 20;

/** Compiles a schema to a validator. Unknown keywords (description, format, default…) are ignored. */
export function compileSchema(schema: { readonly [k: string]: unknown }): Validator {
  const check = compile(schema, schema, new Map());
  return (value) => {
    const out: SchemaIssue[] = [];
    check(value, '', out);
    return out.length > MAX_ISSUES ? out.slice(0, MAX_ISSUES) : out;
  };
}

const cache = new WeakMap<object, Validator>();

/** Validates with a validator compiled once per schema object. */
export function validateSchema(schema: { readonly [k: string]: unknown }, value: unknown): SchemaIssue[] {
  let v = cache.get(schema);
  if (!v) cache.set(schema, (v = compileSchema(schema)));
  return v(value);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'null': return v === null;
    default: return typeof v === t;
  }
}

/** Deep JSON equality (for enum, const, uniqueItems). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 59) + '…' : s;
};

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function compile(schema: Schema, root: Schema, refs: Map<string, Check>): Check {
  if (schema === true) return () => {};
  if (schema === false) return (_v, path, out) => void out.push({ path, message: 'no value is allowed here' });
  if (typeof schema !== 'object' || schema === null) return () => {};
  const s = schema as Record<string, unknown>;
  const checks: Check[] = [];

  if (typeof s.$ref === 'string') {
    const ref = s.$ref;
    checks.push(resolveRef(ref, root, refs));
  }

  // type (with OpenAPI's `nullable`)
  let types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : undefined;
  if (types && s.nullable === true && !types.includes('null')) types = [...types, 'null'];
  if (types) {
    const ts = types;
    checks.push((v, path, out) => {
      if (!ts.some((t) => hasType(v, t))) out.push({ path, message: `expected ${ts.join(' or ')}, got ${typeOf(v)}` });
    });
  }

  if (Array.isArray(s.enum)) {
    const options = s.enum as unknown[];
    checks.push((v, path, out) => {
      if (!options.some((o) => jsonEqual(o, v))) out.push({ path, message: `must be one of ${show(options)}` });
    });
  }
  if ('const' in s) {
    const c = s.const;
    checks.push((v, path, out) => {
      if (!jsonEqual(c, v)) out.push({ path, message: `must be ${show(c)}` });
    });
  }

  // numbers
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const min = num('minimum'), max = num('maximum'), xmin = num('exclusiveMinimum'), xmax = num('exclusiveMaximum'), mult = num('multipleOf');
  if (min !== undefined || max !== undefined || xmin !== undefined || xmax !== undefined || mult !== undefined) {
    checks.push((v, path, out) => {
      if (typeof v !== 'number') return;
      if (min !== undefined && v < min) out.push({ path, message: `must be >= ${min}` });
      if (max !== undefined && v > max) out.push({ path, message: `must be <= ${max}` });
      if (xmin !== undefined && v <= xmin) out.push({ path, message: `must be > ${xmin}` });
      if (xmax !== undefined && v >= xmax) out.push({ path, message: `must be < ${xmax}` });
      if (mult !== undefined && mult > 0) {
        const q = v / mult;
        if (Math.abs(q - Math.round(q)) > 1e-9) out.push({ path, message: `must be a multiple of ${mult}` });
      }
    });
  }

  // strings
  const minLen = num('minLength'), maxLen = num('maxLength');
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
  if (minLen !== undefined || maxLen !== undefined || pattern || badPattern) {
    const src = s.pattern as string;
    checks.push((v, path, out) => {
      if (typeof v !== 'string') return;
      if (minLen !== undefined || maxLen !== undefined) {
        const n = codePoints(v);
        if (minLen !== undefined && n < minLen) out.push({ path, message: `must be at least ${minLen} characters long` });
        if (maxLen !== undefined && n > maxLen) out.push({ path, message: `must be at most ${maxLen} characters long` });
      }
      if (badPattern) out.push({ path, message: badPattern });
      else if (pattern && !pattern.test(v)) out.push({ path, message: `must match pattern ${src}` });
    });
  }

  // arrays
  const minItems = num('minItems'), maxItems = num('maxItems');
  const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]).map((p) => compile(p, root, refs)) : undefined;
  // draft-07 tuple form: items as an array
  const tuple = Array.isArray(s.items) ? (s.items as Schema[]).map((p) => compile(p, root, refs)) : undefined;
  const items = s.items !== undefined && !Array.isArray(s.items) ? compile(s.items as Schema, root, refs) : undefined;
  const unique = s.uniqueItems === true;
  const positional = prefix ?? tuple;
  if (minItems !== undefined || maxItems !== undefined || positional || items || unique) {
    checks.push((v, path, out) => {
      if (!Array.isArray(v)) return;
      if (minItems !== undefined && v.length < minItems) out.push({ path, message: `must have at least ${minItems} items` });
      if (maxItems !== undefined && v.length > maxItems) out.push({ path, message: `must have at most ${maxItems} items` });
      for (let i = 0; i < v.length && out.length <= MAX_ISSUES; i++) {
        const c = positional && i < positional.length ? positional[i] : items;
        c?.(v[i], `${path}/${i}`, out);
      }
      if (unique) {
        outer: for (let i = 0; i < v.length; i++) {
          for (let j = i + 1; j < v.length; j++) {
            if (jsonEqual(v[i], v[j])) { out.push({ path, message: `items ${i} and ${j} are equal; items must be unique` }); break outer; }
          }
        }
      }
    });
  }

  // objects
  const props = s.properties && typeof s.properties === 'object' ? (s.properties as Record<string, Schema>) : undefined;
  const propChecks = props ? Object.entries(props).map(([k, p]) => [k, compile(p, root, refs)] as const) : [];
  const known = new Set(propChecks.map(([k]) => k));
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const extra = s.additionalProperties;
  const extraCheck = extra !== undefined && extra !== true && extra !== false ? compile(extra as Schema, root, refs) : undefined;
  const minProps = num('minProperties'), maxProps = num('maxProperties');
  if (propChecks.length || required.length || extra !== undefined || minProps !== undefined || maxProps !== undefined) {
    const allowed = [...known].join(', ');
    checks.push((v, path, out) => {
      if (!hasType(v, 'object')) return;
      const o = v as Record<string, unknown>;
      for (const r of required) if (!Object.prototype.hasOwnProperty.call(o, r)) out.push({ path, message: `missing required property "${r}"` });
      for (const [k, c] of propChecks) if (Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined) c(o[k], `${path}/${k}`, out);
      if (extra === false || extraCheck) {
        for (const k of Object.keys(o)) {
          if (known.has(k)) continue;
          if (extra === false) out.push({ path, message: `unexpected property "${k}"${allowed ? ` (allowed: ${allowed})` : ' (no properties are allowed)'}` });
          else extraCheck!(o[k], `${path}/${k}`, out);
        }
      }
      const n = minProps !== undefined || maxProps !== undefined ? Object.keys(o).length : 0;
      if (minProps !== undefined && n < minProps) out.push({ path, message: `must have at least ${minProps} properties` });
      if (maxProps !== undefined && n > maxProps) out.push({ path, message: `must have at most ${maxProps} properties` });
    });
  }

  // combinators
  if (Array.isArray(s.allOf)) {
    const all = (s.allOf as Schema[]).map((p) => compile(p, root, refs));
    checks.push((v, path, out) => { for (const c of all) c(v, path, out); });
  }
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const one = Array.isArray(s.oneOf);
    const alts = ((one ? s.oneOf : s.anyOf) as Schema[]).map((p) => compile(p, root, refs));
    checks.push((v, path, out) => {
      const failures: string[] = [];
      let matched = 0;
      for (const c of alts) {
        const sub: SchemaIssue[] = [];
        c(v, path, sub);
        if (sub.length === 0) matched++;
        else failures.push(sub.map((i) => `${i.path || '(value)'} ${i.message}`).slice(0, 2).join(', '));
      }
      if (matched === 0) out.push({ path, message: `must match ${one ? 'exactly one' : 'at least one'} of ${alts.length} alternatives (${failures.map((f, i) => `#${i + 1}: ${f}`).join('; ')})` });
      else if (one && matched > 1) out.push({ path, message: `must match exactly one alternative, but matches ${matched}` });
    });
  }
  if (s.not !== undefined) {
    const not = compile(s.not as Schema, root, refs);
    checks.push((v, path, out) => {
      const sub: SchemaIssue[] = [];
      not(v, path, sub);
      if (sub.length === 0) out.push({ path, message: 'must not match the excluded schema' });
    });
  }

  if (checks.length === 0) return () => {};
  if (checks.length === 1) return checks[0]!;
  return (v, path, out) => {
    for (const c of checks) c(v, path, out);
  };
}

/** Local `$ref`s (`#`, `#/$defs/x`, `#/definitions/x`), compiled once each; recursion goes through a late-bound slot. */
function resolveRef(ref: string, root: Schema, refs: Map<string, Check>): Check {
  const known = refs.get(ref);
  if (known) return known;
  let target: Check | undefined;
  const late: Check = (v, path, out) => target!(v, path, out);
  refs.set(ref, late);
  const node = pointer(root, ref);
  if (node === undefined) {
    target = (_v, path, out) => void out.push({ path, message: `the schema's $ref ${ref} cannot be resolved` });
  } else {
    target = compile(node, root, refs);
  }
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
