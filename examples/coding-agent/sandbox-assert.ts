// `require('node:assert')` in the sandbox worker: the parts tests use (ok, equal, strictEqual,
// deepStrictEqual, throws, rejects, match, fail…), failing with an AssertionError worded like
// Node's. Self-contained — no imports, no outer names — because worker-run.ts ships this
// function's source into the worker; `inspect` comes from sandbox-format.ts.

type Check = (actual: unknown, expected: unknown, message?: string | Error) => void;
type Expected = RegExp | ((err: unknown) => unknown) | Record<string, unknown>;

export interface SandboxAssert {
  (value: unknown, message?: string | Error): void;
  ok(value: unknown, message?: string | Error): void;
  equal: Check; notEqual: Check; strictEqual: Check; notStrictEqual: Check;
  deepEqual: Check; notDeepEqual: Check; deepStrictEqual: Check; notDeepStrictEqual: Check;
  throws(fn: () => unknown, expected?: Expected | string, message?: string): void;
  doesNotThrow(fn: () => unknown, message?: string): void;
  rejects(promise: Promise<unknown> | (() => Promise<unknown>), expected?: Expected | string, message?: string): Promise<void>;
  doesNotReject(promise: Promise<unknown> | (() => Promise<unknown>), message?: string): Promise<void>;
  match(value: string, re: RegExp, message?: string | Error): void;
  doesNotMatch(value: string, re: RegExp, message?: string | Error): void;
  fail(message?: string | Error): never;
  AssertionError: new (o: { message: string; actual?: unknown; expected?: unknown; operator?: string }) => Error;
  strict: SandboxAssert;
}

export function sandboxAssert(inspect: (v: unknown) => string): SandboxAssert {
  class AssertionError extends Error {
    actual: unknown;
    expected: unknown;
    operator: string;
    code: string;
    constructor(o: { message: string; actual?: unknown; expected?: unknown; operator?: string }) {
      super(o.message);
      this.name = 'AssertionError';
      this.code = 'ERR_ASSERTION';
      this.actual = o.actual;
      this.expected = o.expected;
      this.operator = o.operator ?? 'fail';
    }
  }
  const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : inspect(v));
  const fail = (message: string | Error | undefined, fallback: string, actual?: unknown, expected?: unknown, operator?: string): never => {
    if (message instanceof Error) throw message;
    throw new AssertionError({ message: message ?? fallback, actual, expected, operator });
  };

  /** Node's deep equality: same type and prototype (strict) or loose primitives (==), own enumerable keys, cycles allowed. */
  function deep(a: unknown, b: unknown, strict: boolean, seen: Map<object, object>): boolean {
    if (strict ? Object.is(a, b) : a == b || (Number.isNaN(a) && Number.isNaN(b))) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (seen.get(a) === b) return true;
    seen.set(a, b);
    if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
    if (a instanceof RegExp && b instanceof RegExp) return String(a) === String(b);
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (a instanceof Map && b instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) if (!b.has(k) || !deep(v, b.get(k), strict, seen)) return false;
      return true;
    }
    if (a instanceof Set && b instanceof Set) {
      if (a.size !== b.size) return false;
      for (const v of a) if (!b.has(v) && ![...b].some((w) => deep(v, w, strict, seen))) return false;
      return true;
    }
    if (a instanceof Error && b instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const ka = Object.keys(ra);
    if (ka.length !== Object.keys(rb).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && deep(ra[k], rb[k], strict, seen));
  }

  /** Whether a thrown error is what `throws` / `rejects` expected (a class, a RegExp, a predicate or an object of properties). */
  function matches(err: unknown, expected: Expected | undefined): boolean {
    if (expected === undefined) return true;
    if (expected instanceof RegExp) return expected.test(err instanceof Error ? `${err.name}: ${err.message}` : String(err)) || expected.test(String(err));
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && err instanceof expected) return true;
      if (Error.isPrototypeOf(expected) || expected === Error) return false;
      return expected(err) === true;
    }
    const e = (err ?? {}) as Record<string, unknown>;
    return Object.entries(expected).every(([k, v]) => (v instanceof RegExp && typeof e[k] === 'string' ? v.test(e[k]) : deep(e[k], v, true, new Map())));
  }

  const assert = ((value: unknown, message?: string | Error) => {
    if (!value) fail(message, `The expression evaluated to a falsy value:\n\n  assert.ok(${inspect(value)})\n`, value, true, '==');
  }) as SandboxAssert;
  assert.ok = (value, message) => assert(value, message);
  assert.equal = (a, b, m) => { if (!(a == b || (Number.isNaN(a) && Number.isNaN(b)))) fail(m, `${show(a)} == ${show(b)}`, a, b, '=='); };
  assert.notEqual = (a, b, m) => { if (a == b) fail(m, `${show(a)} != ${show(b)}`, a, b, '!='); };
  assert.strictEqual = (a, b, m) => { if (!Object.is(a, b)) fail(m, `Expected values to be strictly equal:\n\n${show(a)} !== ${show(b)}\n`, a, b, 'strictEqual'); };
  assert.notStrictEqual = (a, b, m) => { if (Object.is(a, b)) fail(m, `Expected "actual" to be strictly unequal to: ${show(b)}`, a, b, 'notStrictEqual'); };
  assert.deepEqual = (a, b, m) => { if (!deep(a, b, false, new Map())) fail(m, `Expected values to be loosely deep-equal:\n\n${inspect(a)}\n\nshould loosely deep-equal\n\n${inspect(b)}`, a, b, 'deepEqual'); };
  assert.notDeepEqual = (a, b, m) => { if (deep(a, b, false, new Map())) fail(m, `Expected "actual" not to be loosely deep-equal to:\n\n${inspect(b)}`, a, b, 'notDeepEqual'); };
  assert.deepStrictEqual = (a, b, m) => { if (!deep(a, b, true, new Map())) fail(m, `Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ ${inspect(a)}\n- ${inspect(b)}\n`, a, b, 'deepStrictEqual'); };
  assert.notDeepStrictEqual = (a, b, m) => { if (deep(a, b, true, new Map())) fail(m, `Expected "actual" not to be strictly deep-equal to:\n\n${inspect(b)}`, a, b, 'notDeepStrictEqual'); };
  assert.throws = (fn, expected, message) => {
    const [want, m] = typeof expected === 'string' ? [undefined, expected] : [expected, message];
    try {
      fn();
    } catch (err) {
      if (!matches(err, want)) throw err;
      return;
    }
    fail(m, 'Missing expected exception.', undefined, want, 'throws');
  };
  assert.doesNotThrow = (fn, message) => {
    try {
      fn();
    } catch (err) {
      fail(message, `Got unwanted exception.\nActual message: "${err instanceof Error ? err.message : String(err)}"`, err, undefined, 'doesNotThrow');
    }
  };
  assert.rejects = async (promise, expected, message) => {
    const [want, m] = typeof expected === 'string' ? [undefined, expected] : [expected, message];
    try {
      await (typeof promise === 'function' ? promise() : promise);
    } catch (err) {
      if (!matches(err, want)) throw err;
      return;
    }
    fail(m, 'Missing expected rejection.', undefined, want, 'rejects');
  };
  assert.doesNotReject = async (promise, message) => {
    try {
      await (typeof promise === 'function' ? promise() : promise);
    } catch (err) {
      fail(message, `Got unwanted rejection.\nActual message: "${err instanceof Error ? err.message : String(err)}"`, err, undefined, 'doesNotReject');
    }
  };
  assert.match = (value, re, m) => { if (!re.test(value)) fail(m, `The input did not match the regular expression ${String(re)}. Input:\n\n${show(value)}\n`, value, re, 'match'); };
  assert.doesNotMatch = (value, re, m) => { if (re.test(value)) fail(m, `The input was expected to not match the regular expression ${String(re)}. Input:\n\n${show(value)}\n`, value, re, 'doesNotMatch'); };
  assert.fail = (message) => fail(message, 'Failed');
  assert.AssertionError = AssertionError;
  // assert.strict / node:assert/strict: equal and deepEqual are the strict ones
  const strict = Object.assign(((value: unknown, message?: string | Error) => assert(value, message)) as SandboxAssert, assert, {
    equal: assert.strictEqual, notEqual: assert.notStrictEqual, deepEqual: assert.deepStrictEqual, notDeepEqual: assert.notDeepStrictEqual,
  });
  strict.strict = strict;
  assert.strict = strict;
  return assert;
}
