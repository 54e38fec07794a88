import { safeJSON } from '../util/json.ts';
import { TRACE_VERSION, type LoopEvent } from './events.ts';

/** A trace line that is not a valid event. `line` is 1-based. */
export class TraceParseError extends Error {
  override readonly name = 'TraceParseError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`trace line ${line}: ${reason}`);
  }
}

/** One event per line. Never throws: values JSON cannot hold (BigInt, cycles) are stringified. */
export function toJSONL(events: Iterable<LoopEvent>): string {
  let out = '';
  for (const e of events) out += safeJSON(e) + '\n';
  return out;
}

/** Parses a JSONL trace; the first malformed line throws a `TraceParseError` naming it. */
export function parseJSONL(text: string): LoopEvent[] {
  const { events, errors } = readJSONL(text);
  if (errors[0]) throw errors[0];
  return events;
}

/** Lenient parse for viewers: keeps every valid event and reports each bad line. */
export function readJSONL(text: string): { events: LoopEvent[]; errors: TraceParseError[] } {
  const events: LoopEvent[] = [];
  const errors: TraceParseError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const problem = checkLine(raw);
    if (typeof problem === 'string') errors.push(new TraceParseError(i + 1, problem));
    else events.push(problem);
  }
  return { events, errors };
}

function checkLine(raw: string): LoopEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const e = value as Record<string, unknown>;
  if (typeof e.v !== 'number') return 'missing schema version "v"';
  if (e.v > TRACE_VERSION) return `trace schema version ${e.v} is newer than this looplet reads (${TRACE_VERSION})`;
  if (typeof e.type !== 'string') return 'missing event "type"';
  if (typeof e.runId !== 'string') return 'missing "runId"';
  if (typeof e.step !== 'number') return 'missing "step"';
  if (typeof e.ts !== 'number') return 'missing "ts"';
  return value as LoopEvent;
}
