// JSON Schema → TypeScript, at the type level only (no runtime, no dependency): a tool's `execute`
// gets typed arguments from a schema TypeScript sees literally (written `as const`, or inline in
// `tool()` / `register()`). A schema whose keywords were widened (a plain variable: `type: string`)
// says nothing, and its arguments stay `Record<string, unknown>`.

/** The TypeScript type of the values a JSON Schema accepts; `unknown` where the schema does not say. */
export type FromJSONSchema<S> = S extends unknown ? Value<S> : never;

/** A tool's arguments from its JSON Schema: an object type when the schema is literally `type: 'object'`. */
export type JSONArgs<S> = S extends { readonly type: 'object' } ? Value<S> : Record<string, unknown>;

type List<T> = readonly T[];

// `const` and `enum` are narrower than `type`; without a `type`, `anyOf`/`oneOf` are the union of
// their branches (beside a `type` they only refine it, and the type says enough).
type Value<S> = S extends { readonly const: infer C } ? Literal<C>
  : S extends { readonly enum: List<infer E> } ? Literal<E>
  : S extends { readonly type: infer T } ? (T extends List<infer N> ? OfType<N, S> : OfType<T, S>)
  : S extends { readonly anyOf: List<infer B> } ? FromJSONSchema<B>
  : S extends { readonly oneOf: List<infer B> } ? FromJSONSchema<B>
  : S extends { readonly properties: object } ? ObjectOf<S>
  : unknown;

// A widened literal (`string`) is no better than no keyword at all.
type Literal<C> = string extends C ? unknown : number extends C ? unknown : C;

// Distributes over a `type` array (`['string', 'null']`).
type OfType<N, S> = N extends 'string' ? string
  : N extends 'number' | 'integer' ? number
  : N extends 'boolean' ? boolean
  : N extends 'null' ? null
  : N extends 'array' ? (S extends { readonly items: infer I } ? FromJSONSchema<I>[] : unknown[])
  : N extends 'object' ? ObjectOf<S>
  : unknown;

type Props<S> = S extends { readonly properties: infer P extends object } ? P : {};
// A widened `required` (`string[]`) cannot say which keys: none are required then.
type RequiredKeys<S> = S extends { readonly required: List<infer R extends string> } ? (string extends R ? never : R) : never;

type ObjectOf<S, P = Props<S>, R extends PropertyKey = RequiredKeys<S>> = Flat<
  { -readonly [K in keyof P as K extends R ? K : never]: FromJSONSchema<P[K]> }
  & { -readonly [K in keyof P as K extends R ? never : K]?: FromJSONSchema<P[K]> }
  // A required key the schema gives no property for can hold anything.
  & { -readonly [K in Exclude<R, keyof P>]: unknown }
  & Extra<S>
>;

// Keys beyond `properties`: `false`, or absent beside `properties`, adds no index signature (TS object
// types are open anyway); an object schema with neither (`{ type: 'object' }`) is an open record.
type Extra<S> = S extends { readonly additionalProperties: infer A }
  ? A extends false ? unknown : A extends true ? { [key: string]: unknown } : { [key: string]: FromJSONSchema<A> }
  : S extends { readonly properties: object } ? unknown : { [key: string]: unknown };

// `& {}` makes editors show the object itself, not `Flat<…>`.
type Flat<T> = { [K in keyof T]: T[K] } & {};
