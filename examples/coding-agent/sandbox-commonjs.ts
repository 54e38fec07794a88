// CommonJS for the sandbox worker, over the workspace's files as the host sent them: `require` of
// relative paths (with .js / .cjs / .json / index.js tried as Node does), of the workspace's
// absolute paths, and of the few built-ins the worker offers; `module.exports`, `__filename`,
// `__dirname`. Self-contained (no imports, no outer names): worker-run.ts ships this function's
// source into the worker.

export interface SandboxModules {
  /** Whether the workspace has this file (a path relative to its root). */
  has(path: string): boolean;
  /** Runs a workspace file as the main module; its exports. */
  load(path: string): unknown;
  /** `node -e` / `node -p`: code as a module of the workspace root; with `print`, its value. */
  runCode(code: string, print: boolean): unknown;
}

interface Module { exports: unknown; readonly id: string; readonly filename: string; loaded: boolean }
type Require = ((spec: unknown) => unknown) & { resolve(spec: string): string };
type ModuleFn = (exports: unknown, require: Require, module: Module, filename: string, dirname: string) => unknown;

export function sandboxCommonJS(root: string, files: Readonly<Record<string, string>>, builtin: (name: string) => unknown): SandboxModules {
  // taken before user code runs, so it cannot swap them
  const FunctionCtor = Function;
  const apply = Reflect.apply;
  const has = (path: string) => Object.prototype.hasOwnProperty.call(files, path);
  const cache = new Map<string, Module>();

  const join = (dir: string, spec: string): string | undefined => {
    const parts = dir ? dir.split('/') : [];
    for (const seg of spec.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg !== '..') parts.push(seg);
      else if (parts.pop() === undefined) return undefined; // above the workspace: nothing there
    }
    return parts.join('/');
  };
  const resolve = (spec: string, dir: string): string | undefined => {
    const rel = spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') ? join(dir, spec)
      : spec.startsWith(`${root}/`) ? join('', spec.slice(root.length + 1)) : undefined;
    if (rel === undefined) return undefined;
    return [rel, `${rel}.js`, `${rel}.cjs`, `${rel}.json`, `${rel}/index.js`].find(has);
  };
  const esmHint = (message: string) =>
    /import statement|Unexpected token 'export'|import declarations|export declarations/.test(message) ? ' (the sandbox runs CommonJS: use require() and module.exports)' : '';
  const compile = (source: string, filename: string): ModuleFn => {
    try {
      // the sourceURL names the file in stack traces (lines are 2 off: the function's own header)
      return new FunctionCtor('exports', 'require', 'module', '__filename', '__dirname', `${source}\n//# sourceURL=${filename}`) as ModuleFn;
    } catch (e) {
      if (e instanceof SyntaxError) throw new SyntaxError(`${filename}: ${e.message}${esmHint(e.message)}`);
      throw e;
    }
  };
  const notFound = (spec: string) => {
    const where = spec.startsWith('.') || spec.startsWith('/') ? 'no such file in the workspace' : "the browser sandbox has no node_modules, and of Node's own modules only assert and util";
    return Object.assign(new Error(`Cannot find module '${spec}' (${where})`), { code: 'MODULE_NOT_FOUND' });
  };
  const makeRequire = (dir: string): Require => {
    const find = (spec: string): string => {
      const path = resolve(spec, dir);
      if (path === undefined) throw notFound(spec);
      return path;
    };
    const req = (spec: unknown): unknown => {
      if (typeof spec !== 'string') throw new TypeError('require: the module name must be a string.');
      return builtin(spec) ?? load(find(spec));
    };
    return Object.assign(req, { resolve: (spec: string) => (builtin(spec) !== undefined ? spec : `${root}/${find(spec)}`) });
  };
  const load = (path: string): unknown => {
    const cached = cache.get(path);
    if (cached) return cached.exports;
    const filename = `${root}/${path}`;
    const module: Module = { exports: {}, id: filename, filename, loaded: false };
    cache.set(path, module);
    const text = files[path] ?? '';
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    try {
      if (path.endsWith('.json')) module.exports = JSON.parse(text) as unknown;
      else apply(compile(text.replace(/^#!.*/, ''), filename), module.exports, [module.exports, makeRequire(dir), module, filename, dir ? `${root}/${dir}` : root]);
    } catch (e) {
      cache.delete(path); // as Node does: a module that failed is loaded afresh next time
      throw e;
    }
    module.loaded = true;
    return module.exports;
  };

  return {
    has,
    load(path) {
      if (!has(path)) throw Object.assign(new Error(`Cannot find module '${root}/${path}'`), { code: 'MODULE_NOT_FOUND' });
      return load(path);
    },
    runCode(code, print) {
      const filename = `${root}/[eval]`;
      const module: Module = { exports: {}, id: filename, filename, loaded: false };
      let fn: ModuleFn | undefined;
      if (print) try { fn = compile(`return (${code}\n)`, filename); } catch { /* statements, not an expression: run them, print undefined */ }
      return apply(fn ?? compile(code, filename), module.exports, [module.exports, makeRequire(''), module, filename, root]);
    },
  };
}
