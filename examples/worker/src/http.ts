// JSON in and out, and every refusal as a status with a code: a bad request is never a 500.
import { refusalStatus } from 'looplet';
import { McpError } from 'looplet/mcp';

/** A refusal of ours: a status, a code a client can switch on, a sentence a person can read. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export const json = (body: unknown, status = 200, headers: HeadersInit = {}): Response =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...Object.fromEntries(new Headers(headers)) } });

const MAX_BODY = 64 * 1024;

/** The request's JSON object, or a 400 (413) saying what is wrong with it. */
export async function readJSON(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > MAX_BODY) throw new HttpError(413, 'too_large', `The body is over ${MAX_BODY} characters.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad_json', 'The body is not JSON.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'bad_request', 'The body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** `body.message`: a non-empty string. */
export function messageOf(body: Record<string, unknown>): string {
  const m = body.message;
  if (typeof m !== 'string' || !m.trim()) throw new HttpError(400, 'bad_request', '`message` must be a non-empty string.');
  return m;
}

/**
 * Looplet's refusals carry a code (see README "Pause, approve, resume"): a stale decision or a busy
 * chat is a conflict (409), a forged or malformed one a bad request (400), a stored run that cannot
 * be resumed 422. Each is thrown before anything is saved or run.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof HttpError) return json({ error: err.code, message: err.message }, err.status);
  const status = refusalStatus(err);
  if (status) return json({ error: (err as { code: string }).code, message: (err as Error).message }, status);
  if (err instanceof McpError) return json({ error: `mcp_${err.code}`, message: err.message }, 502);
  console.error(err);
  return json({ error: 'internal', message: 'Something went wrong on our side.' }, 500);
}
