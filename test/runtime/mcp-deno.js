// Run by mcp.test.ts: `deno run --allow-read=<repo> --allow-net=127.0.0.1 test/runtime/mcp-deno.js <url>…`; prints one JSON line.
import * as looplet from '../../dist/index.js';
import * as mcp from '../../dist/mcp/index.js';
import { runMcp } from './mcp-agent.js';

const results = [];
for (const url of Deno.args) results.push(await runMcp(looplet, mcp, url));
console.log(JSON.stringify({ results, deno: Deno.version.deno }));
