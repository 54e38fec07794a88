// Run by matrix.test.ts: `deno run --allow-read=<repo> test/runtime/deno-entry.js`; prints one JSON line.
import * as looplet from '../../dist/index.js';
import { runSmoke } from './smoke-agent.js';

const result = await runSmoke(looplet);
console.log(JSON.stringify({ result, where: { deno: typeof Deno !== 'undefined' ? Deno.version.deno : null } }));
