// console.log's formatting for the sandbox worker: `format` (%s %d %i %f %j %o %O %%) and a small
// `inspect` close enough to Node's that test output reads the same. Self-contained — no imports,
// no outer names — because worker-run.ts ships this function's source into the worker.

export interface SandboxFormat {
  inspect(value: unknown): string;
  format(args: readonly unknown[]): string;
}

export function sandboxFormat(): SandboxFormat {
  const MAX_DEPTH = 2;
  const MAX_ITEMS = 100;
  const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));

  function inspect(value: unknown, depth = 0, seen: unknown[] = []): string {
    if (typeof value === 'string') return depth === 0 ? value : quote(value);
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol') return value.toString();
    if (typeof value === 'function') return `[${value.toString().startsWith('class') ? 'class' : 'Function'}: ${value.name || '(anonymous)'}]`;
    if (value === null || typeof value !== 'object') return Object.is(value, -0) ? '-0' : String(value);
    if (value instanceof Error) return value.stack && value.stack.includes(value.message) ? value.stack : `${value.name}: ${value.message}`;
    if (seen.includes(value)) return '[Circular]';
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return String(value);
    const inner = (v: unknown) => inspect(v, depth + 1, [...seen, value]);
    const list = (open: string, items: string[], close: string, total: number) => {
      if (total > items.length) items.push(`... ${total - items.length} more items`);
      if (items.length === 0) return `${open}${close}`;
      const one = `${open} ${items.join(', ')} ${close}`;
      return one.length <= 72 ? one : `${open}\n${items.map((i) => `  ${i.replace(/\n/g, '\n  ')}`).join(',\n')}\n${close}`;
    };
    if (Array.isArray(value)) {
      if (depth > MAX_DEPTH) return '[Array]';
      return list('[', value.slice(0, MAX_ITEMS).map(inner), ']', value.length);
    }
    if (value instanceof Map) {
      if (depth > MAX_DEPTH) return '[Map]';
      return `Map(${value.size}) ${list('{', [...value].slice(0, MAX_ITEMS).map(([k, v]) => `${inner(k)} => ${inner(v)}`), '}', value.size)}`;
    }
    if (value instanceof Set) {
      if (depth > MAX_DEPTH) return '[Set]';
      return `Set(${value.size}) ${list('{', [...value].slice(0, MAX_ITEMS).map(inner), '}', value.size)}`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    const ctor = proto && typeof proto === 'object' && 'constructor' in proto && typeof proto.constructor === 'function' ? proto.constructor.name : '';
    const prefix = ctor && ctor !== 'Object' ? `${ctor} ` : proto === null ? '[Object: null prototype] ' : '';
    if (depth > MAX_DEPTH) return `[${ctor || 'Object'}]`;
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    return prefix + list('{', keys.slice(0, MAX_ITEMS).map((k) => `${key(k)}: ${inner(record[k])}`), '}', keys.length);
  }

  function format(args: readonly unknown[]): string {
    const [first, ...rest] = args;
    if (typeof first !== 'string') return args.map((a) => inspect(a)).join(' ');
    let i = 0;
    const head = first.replace(/%[sdifjoO%]/g, (m) => {
      if (m === '%%') return '%';
      if (i >= rest.length) return m;
      const v = rest[i++];
      if (m === '%s') return typeof v === 'string' ? v : inspect(v, 1);
      if (m === '%d' || m === '%i') return String(m === '%i' ? Math.trunc(Number(v)) : Number(v));
      if (m === '%f') return String(Number(v));
      if (m === '%j') { try { return JSON.stringify(v); } catch { return '[Circular]'; } }
      return inspect(v, 1);
    });
    return [head, ...rest.slice(i).map((a) => inspect(a))].join(' ');
  }

  return { inspect: (v) => inspect(v), format };
}
