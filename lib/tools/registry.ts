import type { JSONSchema, ToolSchema } from '../backends/types.ts';
import { LoopletError } from '../errors.ts';
import { compileWith, CORE, coreOnly, type Validator } from './schema-core.ts';
import { isStandardSchema, issuePath, jsonSchemaOf, type StandardSchemaV1 } from './standard-schema.ts';
import type { RegisteredTool, ToolParameters, ToolSpec, ValidationResult } from './types.ts';

// Provider limits on tool names (OpenAI's is the strictest).
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The tools an agent may call. Registering a name twice is an error, never a silent overwrite. */
export class ToolRegistry {
  readonly #tools = new Map<string, RegisteredTool>();
  #schemas: ToolSchema[] | undefined;

  /** `const P`: a schema written inline types `execute`'s arguments, as with `tool()`. */
  register<const P extends ToolParameters>(spec: ToolSpec<P>): this {
    const tool = toRegistered(spec as unknown as ToolSpec);
    if (this.#tools.has(tool.name)) {
      throw new LoopletError(`Tool "${tool.name}" is already registered; names must be unique.`);
    }
    this.#tools.set(tool.name, tool);
    this.#schemas = undefined;
    return this;
  }

  get(name: string): RegisteredTool | undefined {
    return this.#tools.get(name);
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  get size(): number {
    return this.#tools.size;
  }

  /** A copy with the same tools, to extend without changing this one. */
  clone(): ToolRegistry {
    const copy = new ToolRegistry();
    for (const [name, tool] of this.#tools) copy.#tools.set(name, tool);
    return copy;
  }

  list(): RegisteredTool[] {
    return [...this.#tools.values()];
  }

  /** What the model sees: name, description and JSON Schema of every tool, in registration order. */
  schemas(): ToolSchema[] {
    this.#schemas ??= this.list().map((t) => ({ name: t.name, description: t.description, parameters: t.parameters, ...(t.origin ? { origin: t.origin } : {}) }));
    return this.#schemas;
  }
}

function toRegistered(spec: ToolSpec): RegisteredTool {
  if (!spec || typeof spec !== 'object') throw new LoopletError('register() takes a tool spec object.');
  const { name, description, parameters } = spec;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new LoopletError(`Tool name ${JSON.stringify(name)} is invalid: use 1-64 letters, digits, "_" or "-".`);
  }
  if (typeof description !== 'string') throw new LoopletError(`Tool "${name}" needs a description string.`);
  if (typeof spec.execute !== 'function') throw new LoopletError(`Tool "${name}" needs an execute function.`);
  if (spec.timeoutMs !== undefined && !(spec.timeoutMs > 0)) {
    throw new LoopletError(`Tool "${name}": timeoutMs must be a positive number.`);
  }
  const execute = spec.execute as RegisteredTool['execute'];
  const base = { name, description, execute, timeoutMs: spec.timeoutMs, needsApproval: spec.needsApproval, origin: spec.origin };

  if (isStandardSchema(parameters)) {
    const json = spec.jsonSchema ?? jsonSchemaOf(parameters);
    if (!json) {
      throw new LoopletError(
        `Tool "${name}": its Standard Schema (${parameters['~standard'].vendor}) offers no JSON Schema converter; ` +
          'give the JSON Schema the model should see as `jsonSchema`.',
      );
    }
    const std = parameters['~standard'];
    return {
      ...base,
      parameters: forModel(name, json),
      validate(args) {
        const out = std.validate(args);
        return out instanceof Promise ? out.then(fromStandard) : fromStandard(out);
      },
    };
  }

  const schema = forModel(name, parameters);
  let check: Validator | undefined;
  const result = (args: Record<string, unknown>): ValidationResult => {
    const issues = check!(args);
    return issues.length === 0 ? { ok: true, value: args } : { ok: false, issues };
  };
  return {
    ...base,
    parameters: schema,
    validate(args) {
      if (check) return result(args);
      // The full validator loads on the first call of a tool whose schema needs it.
      if (coreOnly(schema)) check = compileWith(CORE, schema);
      else return import('./json-schema.ts').then((m) => { check ??= m.compileSchema(schema); return result(args); });
      return result(args);
    },
  };
}

function fromStandard(out: Awaited<ReturnType<StandardSchemaV1['~standard']['validate']>>): ValidationResult {
  if (out.issues) return { ok: false, issues: out.issues.map((i) => ({ path: issuePath(i), message: i.message })) };
  return { ok: true, value: out.value as Record<string, unknown> };
}

function forModel(name: string, schema: unknown): JSONSchema {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new LoopletError(`Tool "${name}": parameters must be a JSON Schema object or a Standard Schema.`);
  }
  const { $schema: _drop, ...rest } = schema as Record<string, unknown>;
  if (rest.type !== undefined && rest.type !== 'object') {
    throw new LoopletError(`Tool "${name}": parameters must describe an object (type "object"), got type ${JSON.stringify(rest.type)}.`);
  }
  return rest.type === undefined ? { type: 'object', ...rest } : rest;
}
