// Bundled by rolldown into one module and served by workerd (Miniflare) in matrix.test.ts.
import * as looplet from '../../dist/index.js';
import { runSmoke } from './smoke-agent.js';

export default {
  async fetch(_request, env) {
    try {
      const result = await runSmoke(looplet, { upstream: env.UPSTREAM });
      return Response.json({ result, where: { userAgent: navigator.userAgent } });
    } catch (err) {
      // Send the stack back: workerd's own log is hard to find from a test.
      return new Response(String((err && err.stack) || err), { status: 500 });
    }
  },
};
