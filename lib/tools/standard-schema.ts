// The Standard Schema (standardschema.dev) shapes we rely on, declared here so the core
// depends on no schema library. zod 4, valibot and arktype implement them.

export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    /** Standard JSON Schema: present on zod ≥ 4.2, arktype ≥ 2.1.28, valibot via toStandardJsonSchema. */
    readonly jsonSchema?: {
      readonly input: (options: { readonly target: string }) => Record<string, unknown>;
    };
  };
}

export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : never;

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const std = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof std === 'object' && std !== null && typeof std.validate === 'function';
}

/** The JSON Schema a Standard Schema can produce of itself, if its library offers a converter. */
export function jsonSchemaOf(schema: StandardSchemaV1): Record<string, unknown> | undefined {
  const std = schema['~standard'];
  if (std.jsonSchema && typeof std.jsonSchema.input === 'function') {
    return std.jsonSchema.input({ target: 'draft-2020-12' });
  }
  // Older zod 4 / arktype expose a method on the schema itself.
  const own = schema as unknown as { toJSONSchema?: () => unknown; toJsonSchema?: () => unknown };
  const out = typeof own.toJSONSchema === 'function' ? own.toJSONSchema() : typeof own.toJsonSchema === 'function' ? own.toJsonSchema() : undefined;
  return out && typeof out === 'object' ? (out as Record<string, unknown>) : undefined;
}

export function issuePath(issue: StandardIssue): string {
  if (!issue.path || issue.path.length === 0) return '';
  return '/' + issue.path.map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('/');
}
