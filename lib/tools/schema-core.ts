// The JSON Schema compiler's driver and the keywords nearly every tool schema uses (type,
// enum, const, properties, required, additionalProperties, items). The rest live in
// json-schema.ts, which a registry loads only for a schema that uses them: a plain agent
// does not ship range, pattern, combinator or $ref checks it never runs.

export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

export type Validator = (value: unknown) => SchemaIssue[];

export type Schema = { readonly [k: string]: unknown } | boolean;
export type Check = (value: unknown, path: string, out: SchemaIssue[]) => void;
/** Compiles one keyword group of a schema node; `sub` compiles a subschema with the same keywords. */
export type Keyword = (s: Record<string, unknown>, sub: (schema: Schema) => Check, root: Schema, refs: Map<string, Check>) => Check | undefined;

export const MAX_ISSUES = 20;

export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function hasType(v: unknown, t: string): boolean {
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

export const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 59) + '…' : s;
};

/** Compiles `schema` with `keywords`, in their order (which is the order issues are reported in). */
export function compileWith(keywords: readonly Keyword[], schema: { readonly [k: string]: unknown }): Validator {
  const refs = new Map<string, Check>();
  const sub = (s: Schema): Check => {
    if (s === true) return () => {};
    if (s === false) return (_v, path, out) => void out.push({ path, message: 'no value is allowed here' });
    if (typeof s !== 'object' || s === null) return () => {};
    const checks = keywords.map((k) => k(s as Record<string, unknown>, sub, schema, refs)).filter((c) => c !== undefined);
    if (checks.length === 0) return () => {};
    if (checks.length === 1) return checks[0]!;
    return (v, path, out) => { for (const c of checks) c(v, path, out); };
  };
  const check = sub(schema);
  return (value) => {
    const out: SchemaIssue[] = [];
    check(value, '', out);
    return out.length > MAX_ISSUES ? out.slice(0, MAX_ISSUES) : out;
  };
}

// type (with OpenAPI's `nullable`)
export const typeKeyword: Keyword = (s) => {
  let types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : undefined;
  if (!types) return undefined;
  if (s.nullable === true && !types.includes('null')) types = [...types, 'null'];
  const ts = types;
  return (v, path, out) => {
    if (!ts.some((t) => hasType(v, t))) out.push({ path, message: `expected ${ts.join(' or ')}, got ${typeOf(v)}` });
  };
};

export const enumKeyword: Keyword = (s) => {
  const checks: Check[] = [];
  if (Array.isArray(s.enum)) {
    const options = s.enum as unknown[];
    checks.push((v, path, out) => { if (!options.some((o) => jsonEqual(o, v))) out.push({ path, message: `must be one of ${show(options)}` }); });
  }
  if ('const' in s) {
    const c = s.const;
    checks.push((v, path, out) => { if (!jsonEqual(c, v)) out.push({ path, message: `must be ${show(c)}` }); });
  }
  return checks.length === 0 ? undefined : checks.length === 1 ? checks[0] : (v, path, out) => { for (const c of checks) c(v, path, out); };
};

// items (one schema for all, or positional: prefixItems, or draft-07's array form)
export const itemsKeyword: Keyword = (s, sub) => {
  const positional = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]).map(sub) : Array.isArray(s.items) ? (s.items as Schema[]).map(sub) : undefined;
  const items = s.items !== undefined && !Array.isArray(s.items) ? sub(s.items as Schema) : undefined;
  if (!positional && !items) return undefined;
  return (v, path, out) => {
    if (!Array.isArray(v)) return;
    for (let i = 0; i < v.length && out.length <= MAX_ISSUES; i++) {
      const c = positional && i < positional.length ? positional[i] : items;
      c?.(v[i], `${path}/${i}`, out);
    }
  };
};

export const objectKeyword: Keyword = (s, sub) => {
  const props = s.properties && typeof s.properties === 'object' ? (s.properties as Record<string, Schema>) : undefined;
  const propChecks = props ? Object.entries(props).map(([k, p]) => [k, sub(p)] as const) : [];
  const known = new Set(propChecks.map(([k]) => k));
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const extra = s.additionalProperties;
  const extraCheck = extra !== undefined && extra !== true && extra !== false ? sub(extra as Schema) : undefined;
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const minProps = num('minProperties'), maxProps = num('maxProperties');
  if (!propChecks.length && !required.length && extra === undefined && minProps === undefined && maxProps === undefined) return undefined;
  const allowed = [...known].join(', ');
  return (v, path, out) => {
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
  };
};

/** Keywords only json-schema.ts compiles. */
const EXTRA = new Set([
  '$ref', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'uniqueItems', 'allOf', 'anyOf', 'oneOf', 'not',
]);

/** True when the core keywords validate `schema` exactly as the full compiler would. */
export function coreOnly(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return true;
  if (Array.isArray(schema)) return schema.every(coreOnly);
  for (const [k, v] of Object.entries(schema)) {
    if (EXTRA.has(k)) return false;
    if (k === 'properties' && v && typeof v === 'object' && !Object.values(v).every(coreOnly)) return false;
    if ((k === 'items' || k === 'prefixItems' || k === 'additionalProperties') && !coreOnly(v)) return false;
  }
  return true;
}

export const CORE: readonly Keyword[] = [typeKeyword, enumKeyword, itemsKeyword, objectKeyword];
