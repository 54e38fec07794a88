// OpenTelemetry GenAI spans from a run's events, exported as OTLP/HTTP JSON over fetch (so it
// works on the edge): an invoke_agent span for the run, a chat span per model call, an
// execute_tool span per tool call.
import type { Hook } from '../loop/types.ts';
import type { LoopEvent } from './events.ts';

export interface OtlpAttribute { key: string; value: { stringValue?: string; intValue?: number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values: OtlpAttribute['value'][] } } }

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code: number; message?: string };
}

export interface SpanExporter {
  export(spans: OtlpSpan[]): Promise<void>;
  flush?(): Promise<void>;
}

// Span ids come from a pool of random bytes: one getRandomValues call per 512 ids, not one per span.
const pool = new Uint8Array(4096);
let used = pool.length;
const hex = (bytes: number) => {
  if (used + bytes > pool.length) { crypto.getRandomValues(pool); used = 0; }
  let s = '';
  for (const end = used + bytes; used < end; used++) s += (pool[used]! < 16 ? '0' : '') + pool[used]!.toString(16);
  return s;
};
const nanos = (ms: number) => `${Math.round(ms)}000000`;

function attr(key: string, v: string | number | boolean | readonly string[] | undefined): OtlpAttribute[] {
  if (v === undefined) return [];
  if (typeof v === 'object') return [{ key, value: { arrayValue: { values: v.map((s) => ({ stringValue: s })) } } }];
  if (typeof v === 'string') return [{ key, value: { stringValue: v } }];
  if (typeof v === 'boolean') return [{ key, value: { boolValue: v } }];
  return Number.isInteger(v) ? [{ key, value: { intValue: v } }] : [{ key, value: { doubleValue: v } }];
}

/**
 * Turns events into spans following the GenAI semantic conventions. Message content is not
 * recorded (the semconv default); ids, names, tokens and finish reasons are.
 */
export class TracingHook implements Hook {
  readonly name = 'TracingHook';
  readonly #exporter: SpanExporter;
  readonly #provider: string | undefined;
  #traceId = hex(16);
  #root = hex(8);
  #start = 0;
  #chatStart = 0;
  readonly #tools = new Map<string, { spanId: string; start: number; name: string; step: number }>();
  readonly #spans: OtlpSpan[] = [];

  constructor({ exporter, provider }: { exporter: SpanExporter; provider?: string }) {
    this.#exporter = exporter;
    this.#provider = provider;
  }

  #span(name: string, kind: number, start: number, end: number, attributes: OtlpAttribute[], error?: string, spanId = hex(8), parent: string | undefined = this.#root): void {
    this.#spans.push({
      traceId: this.#traceId, spanId, ...(parent ? { parentSpanId: parent } : {}), name, kind,
      startTimeUnixNano: nanos(start), endTimeUnixNano: nanos(end), attributes,
      status: error ? { code: 2, message: error } : { code: 1 },
    });
  }

  onEvent(e: LoopEvent): void | Promise<void> {
    switch (e.type) {
      case 'run.start':
        this.#traceId = hex(16);
        this.#root = hex(8);
        this.#start = e.ts;
        break;
      case 'prompt':
        this.#chatStart = e.ts;
        break;
      case 'llm.response': {
        const u = e.response.usage;
        const model = e.response.model ?? 'unknown';
        this.#span(`chat ${model}`, 3, this.#chatStart || e.ts - e.durationMs, e.ts, [
          ...attr('gen_ai.operation.name', 'chat'),
          ...attr('gen_ai.provider.name', this.#provider),
          ...attr('gen_ai.request.model', e.response.model),
          ...attr('gen_ai.response.model', e.response.model),
          ...attr('gen_ai.usage.input_tokens', u?.inputTokens),
          ...attr('gen_ai.usage.output_tokens', u?.outputTokens),
          ...attr('gen_ai.response.finish_reasons', e.response.finishReason ? [e.response.finishReason] : undefined),
          ...attr('looplet.step.index', e.step),
        ]);
        break;
      }
      case 'tool.call':
        this.#tools.set(e.call.id, { spanId: hex(8), start: e.ts, name: e.call.name, step: e.step });
        break;
      case 'tool.result': {
        const t = this.#tools.get(e.callId);
        if (!t) break;
        this.#tools.delete(e.callId);
        this.#span(`execute_tool ${t.name}`, 1, t.start, e.ts, [
          ...attr('gen_ai.operation.name', 'execute_tool'),
          ...attr('gen_ai.tool.name', t.name),
          ...attr('gen_ai.tool.call.id', e.callId),
          ...attr('looplet.step.index', t.step),
          ...(e.error ? attr('error.type', e.error.kind) : []),
        ], e.error?.message, t.spanId);
        break;
      }
      case 'run.end': {
        this.#span('invoke_agent looplet', 1, this.#start || e.ts, e.ts, [
          ...attr('gen_ai.operation.name', 'invoke_agent'),
          ...attr('gen_ai.agent.name', 'looplet'),
          ...attr('gen_ai.conversation.id', e.runId),
          ...attr('gen_ai.usage.input_tokens', e.usage.inputTokens),
          ...attr('gen_ai.usage.output_tokens', e.usage.outputTokens),
          ...attr('looplet.run.status', e.outcome.status),
          ...attr('looplet.steps', e.outcome.steps),
        ], e.outcome.status === 'error' ? e.outcome.error?.message : undefined, this.#root, undefined);
        const spans = this.#spans.splice(0);
        return this.#exporter.export(spans).then(() => this.#exporter.flush?.());
      }
      default:
        break;
    }
  }
}

/** Posts spans as OTLP/HTTP JSON (`/v1/traces`), in batches. Headers (an API key) never enter the spans. */
export function otlpHttpExporter({ url = 'http://127.0.0.1:4318/v1/traces', headers = {}, serviceName = 'looplet', batchSize = 512, fetch: f }: { url?: string; headers?: Record<string, string>; serviceName?: string; batchSize?: number; fetch?: typeof fetch } = {}): SpanExporter & { sent: number } {
  const doFetch = f ?? globalThis.fetch.bind(globalThis);
  const state = { sent: 0 };
  const post = async (spans: OtlpSpan[]) => {
    const body = { resourceSpans: [{ resource: { attributes: attr('service.name', serviceName) }, scopeSpans: [{ scope: { name: 'looplet', version: '0.1.0' }, spans }] }] };
    const res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`OTLP export to ${url} failed: HTTP ${res.status}`);
    state.sent += spans.length;
  };
  return {
    get sent() { return state.sent; },
    async export(spans) {
      for (let i = 0; i < spans.length; i += batchSize) await post(spans.slice(i, i + batchSize));
    },
  };
}
