export * from './events.ts';
export { toJSONL, parseJSONL, readJSONL, TraceParseError } from './jsonl.ts';
