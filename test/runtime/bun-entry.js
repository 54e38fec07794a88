// Run by matrix.test.ts: `bun test/runtime/bun-entry.js <upstream>`; prints one JSON line.
import * as looplet from '../../dist/index.js';
import { runSmoke } from './smoke-agent.js';

const result = await runSmoke(looplet, { upstream: process.argv[2] });
console.log(JSON.stringify({ result, where: { bun: typeof Bun !== 'undefined' ? Bun.version : null } }));
