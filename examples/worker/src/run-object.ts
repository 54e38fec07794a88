// One run: a multi-turn chat in a Durable Object. Its turns run here, after the request that
// started them has been answered; every checkpoint, the chat and the events are in this object's
// storage. While a turn runs an alarm is kept a few seconds ahead: if the object is evicted
// mid-turn, the alarm wakes it, and the turn goes on from its last checkpoint.
import { DurableObject } from 'cloudflare:workers';
import { conversation, durableObjectStore, type Conversation, type Hook, type LoopOutcome, type PendingCall, type ResumeDecision, type SendOptions, type Step } from 'looplet';
import { supportAgent } from './agent.ts';
import type { Env } from './env.ts';
import { eventLog, eventStream } from './event-log.ts';
import { errorResponse, HttpError, json, messageOf, readJSON } from './http.ts';
import { refundsMade } from './refunds.ts';
import { uiStream } from './ui.ts';

/** The run's id, kept by its first request: an alarm has no URL to read it from. */
const RUN_ID = 'meta:runId';

type StartTurn = (chat: Conversation, options: SendOptions) => AsyncGenerator<Step, LoopOutcome>;

export class RunObject extends DurableObject<Env> {
  readonly #store = durableObjectStore(this.ctx.storage);
  readonly #log = eventLog(this.ctx.storage);
  #runId?: string;
  #chat?: Conversation;
  #agent?: Promise<SendOptions>;
  /** The turn running in this instance (none after an eviction, whatever storage says). */
  #turn?: Promise<void>;

  override async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const [, , runId = '', sub = ''] = url.pathname.split('/'); // /runs/<id>[/<sub>]
      const route = `${request.method} ${sub}`;
      if (route === 'POST ') return await this.#create(runId, request);
      if (!(await this.#id())) throw new HttpError(404, 'not_found', `There is no run ${runId}.`);
      await this.#recover().catch((err: unknown) => console.error('resuming the interrupted turn failed', err));
      if (route === 'GET ') return json(await this.#status(url));
      if (route === 'POST messages') return await this.#message(request);
      if (route === 'POST decisions') return await this.#decide(request);
      if (route === 'GET events') return await this.#events(request, url);
      throw new HttpError(404, 'not_found', `No route for ${request.method} ${url.pathname}.`);
    } catch (err) {
      return errorResponse(err);
    }
  }

  /** Fires every few seconds while a turn runs; finding none running here though storage says one is, it resumes it. */
  override async alarm(): Promise<void> {
    if (this.#turn) return this.#arm();
    if (!(await this.#id())) return;
    await this.#recover().catch((err: unknown) => console.error('resuming the interrupted turn failed', err));
  }

  async #create(runId: string, request: Request): Promise<Response> {
    const message = messageOf(await readJSON(request));
    if (await this.#id()) throw new HttpError(409, 'exists', `Run ${runId} exists.`);
    await this.#options(); // a misconfigured Worker says so before a run is created
    await this.ctx.storage.put(RUN_ID, (this.#runId = runId));
    await this.#begin((chat, o) => chat.send(message, o));
    const urls = this.#urls(request.url);
    return json({ runId, status: 'running', ...urls }, 201, { location: urls.statusUrl });
  }

  async #message(request: Request): Promise<Response> {
    const message = messageOf(await readJSON(request));
    await this.#begin((chat, o) => chat.send(message, o));
    return json({ runId: this.#runId, status: 'running', turn: (await this.#conversation().turns()).length, ...this.#urls(request.url) }, 202);
  }

  async #decide(request: Request): Promise<Response> {
    const decisions = decisionsOf(await readJSON(request));
    await this.#begin((chat, o) => chat.resume(decisions, o));
    return json({ runId: this.#runId, status: 'running', ...this.#urls(request.url) }, 202);
  }

  async #events(request: Request, url: URL): Promise<Response> {
    // an EventSource that reconnects says what it saw last; other clients may say `?after=`
    const after = Number(request.headers.get('last-event-id') ?? url.searchParams.get('after') ?? 0) || 0;
    const live = () => this.#turn !== undefined;
    if (url.searchParams.get('format') !== 'ui') return eventStream(this.#log.follow(after, live));
    const turn = (await this.#conversation().turns()).length;
    if (!turn) throw new HttpError(404, 'not_found', 'The run has no turn yet.');
    return uiStream(this.#log.follow(0, live), turn);
  }

  async #status(url: URL) {
    const turns = await this.#conversation().turns();
    const last = turns.at(-1);
    const saved = last && (await this.#store.get(last.runId));
    // the chat hears how a turn ended when it ends; its checkpoint knows sooner
    const status = this.#turn ? 'running' : saved?.status ?? last?.status ?? 'new';
    return {
      runId: this.#runId,
      status,
      turns: turns.map((t) => ({ turn: t.turn, message: t.message, status: t === last ? status : t.status, answer: t.answer, usage: t.usage })),
      pending: status === 'paused' && last ? await this.#pending(last.runId) : [],
      answer: turns.findLast((t) => t.answer !== undefined)?.answer,
      refunds: await refundsMade(this.ctx.storage),
      ...this.#urls(url.href),
    };
  }

  /** What the turn waits for, as its last `pause` event said it: with each call's signature, which a decision must carry. */
  async #pending(turnRunId: string) {
    const pause = (await this.#log.all()).findLast(({ event: e }) => e.type === 'pause' && e.runId === turnRunId)?.event;
    const pending = (pause?.type === 'pause' ? pause.pending : []) as readonly PendingCall[];
    return pending.map((p) => ({ id: p.id, tool: p.call.name, args: p.call.args, reason: p.reason, signature: p.signature, ...(p.schema ? { schema: p.schema } : {}), ...(p.data !== undefined ? { data: p.data } : {}) }));
  }

  /**
   * Starts a turn and returns once it is under way: a refusal (a busy chat, a forged or stale
   * decision) comes before the run starts, so the caller hears it; the rest runs after the answer.
   */
  async #begin(start: StartTurn): Promise<void> {
    if (this.#turn) throw new HttpError(409, 'busy', 'A turn is running; wait for it to end.');
    const options = await this.#options();
    await this.#arm(); // before the turn is on record: an eviction at any point after finds the alarm set
    let started!: () => void;
    const running = new Promise<void>((ok) => (started = ok));
    const log: Hook = { name: 'eventLog', onEvent: (e) => { if (e.type === 'run.start') started(); return this.#log.append(e); } };
    const run = start(this.#conversation(), { ...options, hooks: [log] });
    const drive = (async () => { for (;;) if ((await run.next()).done) return; })();
    await Promise.race([running, drive]);
    this.#turn = drive.catch((err: unknown) => console.error('the turn failed', err)).then(() => this.#ended());
  }

  async #ended(): Promise<void> {
    this.#turn = undefined;
    this.#log.close(); // watchers of the events stream get the end of it
    await this.ctx.storage.deleteAlarm().catch((err: unknown) => console.error(err));
  }

  /** A turn storage says is running but no instance runs: the object was evicted mid-turn. It goes on from its last checkpoint. */
  async #recover(): Promise<void> {
    if (this.#turn) return;
    const last = (await this.#conversation().turns()).at(-1);
    if (!last) return;
    const saved = await this.#store.get(last.runId);
    if (saved ? saved.status !== 'running' : last.status !== 'running') return;
    // a call that was running comes back paused ("it may or may not have run") for a person to decide
    await this.#begin((chat, o) => chat.resume({}, o));
  }

  #arm(): Promise<void> {
    return this.ctx.storage.setAlarm(Date.now() + (Number(this.env.ALARM_MS) || 5000));
  }

  async #id(): Promise<string | undefined> {
    return (this.#runId ??= await this.ctx.storage.get<string>(RUN_ID));
  }

  #conversation(): Conversation {
    return (this.#chat ??= conversation({ store: this.#store, id: this.#runId! }));
  }

  #options(): Promise<SendOptions> {
    return (this.#agent ??= supportAgent(this.env, this.ctx.storage).catch((err: unknown) => {
      this.#agent = undefined; // an MCP server that was down may be up next time
      throw err;
    }));
  }

  #urls(base: string) {
    return { statusUrl: new URL(`/runs/${this.#runId}`, base).href, eventsUrl: new URL(`/runs/${this.#runId}/events`, base).href };
  }
}

/** `body.decisions`: an object of pending call id → decision. What each decision says, looplet checks (signature included). */
function decisionsOf(body: Record<string, unknown>): Record<string, ResumeDecision> {
  const d = body.decisions;
  if (!d || typeof d !== 'object' || Array.isArray(d) || Object.keys(d).length === 0) {
    throw new HttpError(400, 'bad_request', '`decisions` must be an object of pending call id → { kind: "approve" | "reject" | "edit", signature, … }.');
  }
  return d as Record<string, ResumeDecision>;
}
