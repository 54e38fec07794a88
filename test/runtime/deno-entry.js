// Run by matrix.test.ts: `deno run --allow-read=<repo> --allow-net=127.0.0.1 test/runtime/deno-entry.js <upstream>`; prints one JSON line.
import * as looplet from '../../dist/index.js';
import { runSmoke } from './smoke-agent.js';

const result = await runSmoke(looplet, { upstream: Deno.args[0] });
console.log(JSON.stringify({ result, where: { deno: typeof Deno !== 'undefined' ? Deno.version.deno : null } }));
