// The HTTP API over Runs. Every refusal is a JSON answer with a status an app can act on:
// 400 bad input or a forged decision, 404 unknown run, 409 stale or busy, 422 unusable checkpoint.
import { LoopletError, refusalStatus, toEventStream, type ResumeDecision } from 'looplet';
import { AppError, outcomeView, type Runs } from './runs.ts';

class BadRequest extends Error {}

export function handler(runs: Runs): (req: Request) => Promise<Response> {
  return async (req) => {
    try {
      return await route(runs, req);
    } catch (err) {
      return refusal(err);
    }
  };
}

async function route(runs: Runs, req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  const [kind, id, action, ...rest] = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const is = (method: string, k: string, a?: string) => req.method === method && kind === k && id !== undefined && action === a && !rest.length;

  if (req.method === 'GET' && pathname === '/') {
    return Response.json({ endpoints: ['POST /runs', 'GET /runs/:id', 'POST /runs/:id/decisions', 'GET /runs/:id/events', 'POST /chats/:id/messages', 'POST /chats/:id/decisions', 'GET /chats/:id', 'GET /chats/:id/events'] });
  }
  if (req.method === 'POST' && pathname === '/runs') {
    const body = await json(req);
    const { id, outcome } = runs.start(message(body));
    if (body.wait === false) return Response.json({ id, status: 'running', events: `/runs/${id}/events` }, { status: 202 });
    return Response.json(outcomeView(await outcome), { status: 201 });
  }
  if (is('GET', 'runs')) {
    const view = await runs.view(id!);
    return view ? Response.json(view) : Response.json({ error: 'not_found', message: `No run ${id}.` }, { status: 404 });
  }
  if (is('POST', 'runs', 'decisions')) return Response.json(outcomeView(await runs.decide(id!, decisions(await json(req)))));
  if (is('GET', 'runs', 'events') || is('GET', 'chats', 'events')) {
    const follow = runs.live.follow(kind === 'chats' ? `chat:${id}` : id!);
    if (!follow) return Response.json({ error: 'not_live', message: `Nothing of ${id} has run in this process; GET /${kind}/${id} for its state.` }, { status: 404 });
    return toEventStream(follow);
  }
  if (is('POST', 'chats', 'messages')) return Response.json(outcomeView(await runs.send(id!, message(await json(req)))));
  if (is('POST', 'chats', 'decisions')) return Response.json(outcomeView(await runs.answer(id!, decisions(await json(req)))));
  if (is('GET', 'chats')) return Response.json(await runs.chat(id!));
  return Response.json({ error: 'not_found', message: `No route ${req.method} ${pathname}.` }, { status: 404 });
}

function refusal(err: unknown): Response {
  const answer = (status: number, error: string) => Response.json({ error, message: (err as Error).message }, { status });
  if (err instanceof BadRequest) return answer(400, 'bad_request');
  if (err instanceof AppError) return answer(err.code === 'not_found' ? 404 : 409, err.code);
  // Refused before anything was saved or run: the stored run is as it was.
  const status = refusalStatus(err);
  if (status) return answer(status, (err as { code: string }).code);
  if (err instanceof LoopletError) return answer(400, 'bad_request');
  console.error(err);
  return Response.json({ error: 'internal', message: 'Something went wrong on our side.' }, { status: 500 });
}

async function json(req: Request): Promise<Record<string, unknown>> {
  const body: unknown = await req.json().catch(() => undefined);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('The body must be a JSON object.');
  return body as Record<string, unknown>;
}

function message(body: Record<string, unknown>): string {
  if (typeof body.message !== 'string' || !body.message.trim()) throw new BadRequest('`message` must be a non-empty string.');
  return body.message;
}

/** The shape only; what each decision says (and its signature) is checked by looplet on resume. */
function decisions(body: Record<string, unknown>): Record<string, ResumeDecision> {
  const d = body.decisions;
  if (typeof d !== 'object' || d === null || Array.isArray(d) || !Object.values(d).every((v) => typeof v === 'object' && v !== null)) {
    throw new BadRequest('`decisions` must map pending call ids to { kind: "approve" | "reject" | "edit", signature, … }.');
  }
  return d as Record<string, ResumeDecision>;
}
