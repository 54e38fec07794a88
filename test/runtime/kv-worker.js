// A Worker that pauses a run for approval in one request and resumes it from KV in the next.
import * as looplet from '../../dist/index.js';
import { approvalAgent, drive } from './approval-agent.js';

export default {
  async fetch(request, env) {
    try {
      const store = looplet.kvStore(looplet.cloudflareKV(env.RUNS));
      const count = async (name) => env.RUNS.put(`count:${name}`, String(Number((await env.RUNS.get(`count:${name}`)) ?? 0) + 1));
      const { tools, llm, hooks } = approvalAgent(looplet, count);
      const body = await request.json();
      const run = new URL(request.url).pathname === '/start'
        ? looplet.composableLoop({ llm, tools, task: 'Clean the data.', hooks: hooks(store, body.runId), approvalSecret: env.SECRET })
        : looplet.resumeFrom(store, body.runId, { llm, tools, hooks: hooks(store, body.runId), decisions: body.decisions, approvalSecret: env.SECRET });
      const { steps, outcome } = await drive(run);
      const counts = { load: Number(await env.RUNS.get('count:load') ?? 0), save: Number(await env.RUNS.get('count:save') ?? 0) };
      return Response.json({ steps, status: outcome.status, answer: outcome.answer, pending: outcome.pending ?? [], counts, agent: navigator.userAgent });
    } catch (err) {
      return Response.json({ error: String(err && err.message) }, { status: 400 });
    }
  },
};
