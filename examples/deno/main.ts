// looplet on Deno: an HTTP server whose runs pause for approval and resume from Deno KV, in this
// process or the next one. `deno task start`; see README.md for the curl walkthrough.
//
// Env: PORT (default 8000, 0 = any free port), HOSTNAME (default 127.0.0.1), KV_PATH (default:
// Deno's own KV for this script), APPROVAL_SECRET, OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL.
import { denoKV, kvStore } from 'looplet';
import { model } from './agent.ts';
import { handler } from './http.ts';
import { Runs } from './runs.ts';

const env = Deno.env;
const kv = await Deno.openKv(env.get('KV_PATH') || undefined); // needs --unstable-kv
const runs = new Runs(kv, kvStore(denoKV(kv)), model(env), await approvalSecret(kv));

const server = Deno.serve(
  {
    hostname: env.get('HOSTNAME') ?? '127.0.0.1',
    port: Number(env.get('PORT') ?? 8000),
    onListen: ({ hostname, port }) => console.log(`looplet example listening on http://${hostname}:${port}/`),
  },
  handler(runs),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, () => {
    kv.close(); // every checkpoint is committed already: a paused run resumes in the next process
    Deno.exit(0);
  });
}
await server.finished;

/**
 * The key that signs pending calls and seals checkpoints. It must outlive the process (a run
 * paused before a restart is resumed after it), so without APPROVAL_SECRET one is made once and
 * kept in KV — fine for a demo; in production set APPROVAL_SECRET, so whoever can write the KV
 * cannot also sign decisions.
 */
async function approvalSecret(kv: Deno.Kv): Promise<string> {
  const given = env.get('APPROVAL_SECRET');
  if (given) return given;
  const key = ['looplet-example', 'approval-secret'];
  const made = crypto.randomUUID() + crypto.randomUUID();
  await kv.atomic().check({ key, versionstamp: null }).set(key, made).commit(); // the first instance's wins
  return (await kv.get<string>(key)).value ?? made;
}
