// The Worker: routes each request to its run's Durable Object (one per run id), which does the work.
//
//   POST /runs                    {message}    → 201 {runId, eventsUrl}: the first turn starts
//   POST /runs/:id/messages       {message}    → 202: the next turn (409 while a turn runs or waits)
//   POST /runs/:id/decisions      {decisions}  → 202: the paused turn goes on (signed decisions; APPROVER_TOKEN if set)
//   GET  /runs/:id                             → the chat: turns, pending calls, last answer
//   GET  /runs/:id/events[?format=ui]          → Server-Sent Events: looplet's events (or the AI SDK UI stream)
import type { Env } from './env.ts';
import { json } from './http.ts';

export { RunObject } from './run-object.ts';

const ROUTES: readonly { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/runs\/?$/ },
  { method: 'GET', path: /^\/runs\/([A-Za-z0-9-]{1,64})\/?$/ },
  { method: 'POST', path: /^\/runs\/([A-Za-z0-9-]{1,64})\/(messages|decisions)$/ },
  { method: 'GET', path: /^\/runs\/([A-Za-z0-9-]{1,64})\/events$/ },
];

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const cors = corsHeaders(env, request);
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
    const url = new URL(request.url);
    const matches = ROUTES.filter((r) => r.path.test(url.pathname));
    const route = matches.find((r) => r.method === request.method);
    if (!route) {
      if (matches.length) return json({ error: 'method_not_allowed', message: `${request.method} is not allowed on ${url.pathname}.` }, 405, { allow: matches.map((r) => r.method).join(', '), ...cors });
      return json({ error: 'not_found', message: `No route for ${request.method} ${url.pathname}.` }, 404, cors);
    }
    const sub = url.pathname.split('/')[3] ?? '';
    if (sub === 'decisions' && env.APPROVER_TOKEN && !(await sameText(request.headers.get('authorization') ?? '', `Bearer ${env.APPROVER_TOKEN}`))) {
      return json({ error: 'unauthorized', message: 'Only an approver may decide: send authorization: Bearer <APPROVER_TOKEN>.' }, 401, { 'www-authenticate': 'Bearer', ...cors });
    }
    // A new run gets a fresh id; the object for it is created by its first request.
    const runId = route.path.exec(url.pathname)![1] ?? crypto.randomUUID();
    const stub = env.RUNS.get(env.RUNS.idFromName(runId));
    let res: Response;
    try {
      res = await stub.fetch(new Request(new URL(`/runs/${runId}${sub ? `/${sub}` : ''}${url.search}`, url), request));
    } catch (err) {
      console.error(err); // the object was reset or overloaded: the client may retry
      return json({ error: 'unavailable', message: 'The run is unavailable for a moment; try again.' }, 503, { 'retry-after': '1', ...cors });
    }
    if (!cors['access-control-allow-origin']) return res;
    const headers = new Headers(res.headers);
    for (const [k, v] of Object.entries(cors)) headers.set(k, v);
    return new Response(res.body, { status: res.status, headers });
  },
} satisfies ExportedHandler<Env>;

/** Browsers may call the API (and the devtools watch `/events`) from ALLOW_ORIGIN. */
function corsHeaders(env: Env, request: Request): Record<string, string> {
  const allowed = env.ALLOW_ORIGIN;
  if (!allowed) return {};
  const origin = request.headers.get('origin');
  const value = allowed === '*' ? '*' : origin && allowed.split(',').map((o) => o.trim()).includes(origin) ? origin : '';
  if (!value) return {};
  return { 'access-control-allow-origin': value, 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'authorization, content-type, last-event-id', vary: 'origin' };
}

/** Compares in constant time (the digests are), so a wrong token's timing says nothing of the right one. */
async function sameText(a: string, b: string): Promise<boolean> {
  const digest = async (s: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  return crypto.subtle.timingSafeEqual(x, y);
}
