// How the benchmarks bundle an agent: rolldown, browser target, minified, tree-shaken, Node
// built-ins left external and named. What a page loads before the agent runs is the entry chunk
// and every chunk it imports statically; the other chunks load only through import().
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';

const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

export async function bundle(input) {
  const builtins = new Set();
  const out = await build({
    input, platform: 'browser', write: false, logLevel: 'silent',
    external: (id) => { if (NODE.has(id) || id.startsWith('node:')) { builtins.add(id); return true; } return false; },
    output: { format: 'esm', minify: true },
  });
  const chunks = new Map(out.output.filter((o) => o.type === 'chunk').map((o) => [o.fileName, o]));
  const initial = new Set();
  const visit = (name) => { if (initial.has(name) || !chunks.has(name)) return; initial.add(name); for (const i of chunks.get(name).imports) visit(i); };
  visit([...chunks.values()].find((c) => c.isEntry).fileName);
  const code = [...initial].map((n) => chunks.get(n).code).join('');
  const lazy = [...chunks.keys()].filter((n) => !initial.has(n)).map((n) => chunks.get(n).code).join('');
  return { chunks, initial, raw: code.length, gzip: gzipSync(code).length, lazyGzip: lazy ? gzipSync(lazy).length : 0, builtins: [...builtins] };
}
