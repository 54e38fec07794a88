// Bundled by rolldown into one module and served by workerd (Miniflare) in mcp.test.ts.
import * as looplet from '../../dist/index.js';
import * as mcp from '../../dist/mcp/index.js';
import { runMcp } from './mcp-agent.js';

export default {
  async fetch(_request, env) {
    const results = [];
    for (const url of JSON.parse(env.URLS)) results.push(await runMcp(looplet, mcp, url));
    return Response.json({ results, userAgent: navigator.userAgent });
  },
};
