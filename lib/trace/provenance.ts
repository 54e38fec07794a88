// A provenance record of a run: every prompt exactly as the model saw it, every raw reply,
// every tool result, and a manifest, laid out to diff cleanly between runs.
import { redact } from '../backends/secrets.ts';
import type { Message } from '../backends/types.ts';
import type { Hook } from '../loop/types.ts';
import type { LoopEvent } from './events.ts';
import { toJSONL } from './jsonl.ts';

/** Where files go: memory, a directory (`looplet/provenance-dir`), IndexedDB… anything with write. */
export interface ProvenanceWriter {
  write(path: string, content: string): Promise<void> | void;
}

export interface ProvenanceOptions {
  writer: ProvenanceWriter;
  /**
   * Make two runs of the same inputs byte-identical: the run id becomes "run", each `ts` becomes
   * the event's sequence number, and durations become 0. Default true.
   */
  normalize?: boolean;
  /** Extra secret patterns to mask (API keys and bearer tokens are always masked). */
  redact?: readonly RegExp[];
}

export function memoryWriter(): ProvenanceWriter & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return { files, write: (path, content) => void files.set(path, content) };
}

const pad = (n: number) => String(n).padStart(3, '0');
const DURATIONS = new Set(['durationMs', 'llmMs', 'toolMs', 'ts', 'savedAt']);

/** Writes run.json, steps/NNN-prompt.md, steps/NNN-response.json and trace.jsonl when the run ends. */
export class ProvenanceSink implements Hook {
  readonly name = 'ProvenanceSink';
  readonly #o: ProvenanceOptions;
  readonly #events: LoopEvent[] = [];

  constructor(opts: ProvenanceOptions) {
    this.#o = opts;
  }

  onEvent(e: LoopEvent): void | Promise<void> {
    this.#events.push(e);
    if (e.type === 'run.end') return this.flush();
  }

  #clean(text: string): string {
    let out = redact(text);
    for (const p of this.#o.redact ?? []) out = out.replace(new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'), '[redacted]');
    return out;
  }

  /** The events as written (normalised unless told otherwise). */
  events(): LoopEvent[] {
    if (this.#o.normalize === false) return [...this.#events];
    return this.#events.map((e, i) => JSON.parse(JSON.stringify(e), (k, v: unknown) => {
      if (k === 'runId') return 'run';
      if (k === 'ts') return i;
      if (DURATIONS.has(k) && typeof v === 'number') return 0;
      return v;
    }) as LoopEvent);
  }

  async flush(): Promise<void> {
    const w = this.#o.writer;
    const events = this.events();
    const json = (v: unknown) => this.#clean(JSON.stringify(v, null, 2)) + '\n';
    const start = events.find((e) => e.type === 'run.start');
    const end = events.find((e) => e.type === 'run.end');
    await w.write('run.json', json({ start, end: end && end.type === 'run.end' ? { outcome: end.outcome, usage: end.usage } : undefined, events: events.length }));
    let prompt: Message[] = [];
    let system = '';
    let n = 0;
    for (const e of events) {
      if (e.type === 'prompt') {
        prompt = [...prompt.slice(0, e.offset), ...e.messages];
        if (e.system !== undefined) system = e.system;
        n++;
        await w.write(`steps/${pad(n)}-prompt.md`, this.#clean(promptMarkdown(system, prompt)));
      } else if (e.type === 'llm.response') {
        await w.write(`steps/${pad(n)}-response.json`, json(e.response));
      }
    }
    await w.write('trace.jsonl', this.#clean(toJSONL(events)));
  }
}

function promptMarkdown(system: string, messages: readonly Message[]): string {
  const out = [`# system\n\n${system}\n`];
  for (const m of messages) {
    const head = m.role === 'tool' ? `# tool result: ${m.name ?? ''} (${m.toolCallId ?? ''})` : `# ${m.role}`;
    const calls = m.toolCalls?.map((c) => `- call ${c.id}: ${c.name}(${c.arguments})`).join('\n') ?? '';
    out.push(`${head}\n\n${m.content}${calls ? `\n\n${calls}` : ''}\n`);
  }
  return out.join('\n');
}
