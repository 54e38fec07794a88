// JSON-in-text tool calling, for models without native tools: the system prompt asks for
// {"tool": "<name>", "args": {…}}, and the reply text is scanned for such objects — bare,
// fenced, amid prose, several of them, or an array of them.
import type { ToolSchema } from '../backends/types.ts';

export interface TextToolCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

export type TextParse =
  | { readonly kind: 'calls'; readonly calls: TextToolCall[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'malformed'; readonly message: string };

const FORMAT = 'Reply with exactly {"tool": "<name>", "args": {...}}.';
// A JSON object that starts like a tool call (so a broken one is worth reporting).
const CALL_START = /^\{\s*"(?:tool|tool_name|name|function)"\s*:/;

export function parseTextToolCalls(text: string): TextParse {
  const calls: TextToolCall[] = [];
  let problem: string | undefined;
  for (const chunk of jsonChunks(text)) {
    let value: unknown;
    try {
      value = JSON.parse(chunk.text);
    } catch (err) {
      if (chunk.fenced || CALL_START.test(chunk.text)) problem ??= `Your reply contains a tool call that is not valid JSON: ${(err as Error).message}. ${FORMAT}`;
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      const call = toCall(v);
      if (call === undefined) continue;
      if (typeof call === 'string') problem ??= `${call} ${FORMAT}`;
      else calls.push(call);
    }
  }
  if (calls.length > 0) return { kind: 'calls', calls };
  if (problem) return { kind: 'malformed', message: problem };
  return { kind: 'none' };
}

/** A tool call, a reason it is a broken one, or undefined for JSON that is not a call. */
function toCall(v: unknown): TextToolCall | string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const fn = typeof o.function === 'object' && o.function !== null ? (o.function as Record<string, unknown>) : undefined;
  const name = o.tool ?? o.tool_name ?? o.name ?? fn?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  let args = o.args ?? o.arguments ?? o.parameters ?? o.input ?? fn?.arguments ?? fn?.parameters;
  if (args === undefined || args === null) args = {};
  if (typeof args === 'string') {
    if (args.trim() === '') args = {};
    else {
      try {
        args = JSON.parse(args);
      } catch {
        return `The arguments of your "${name}" call are a string that is not valid JSON.`;
      }
    }
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return `The "args" of your "${name}" call must be a JSON object.`;
  return { name, arguments: args as Record<string, unknown> };
}

interface Chunk {
  readonly text: string;
  readonly fenced: boolean;
}

/**
 * The candidate JSON texts, in order: every balanced {…} span, and […] spans holding objects,
 * found with a scanner that knows strings and escapes (so braces, brackets and even ``` inside
 * strings, and any nesting depth, are fine). Fences need no parsing of their own: a span right
 * after a ``` line is marked fenced, so a broken call there is reported.
 */
function* jsonChunks(text: string): Generator<Chunk> {
  let i = 0;
  let unbalanced = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c !== '{' && c !== '[') { i++; continue; }
    const fenced = FENCE_BEFORE.test(text.slice(Math.max(0, i - 24), i));
    const end = matchEnd(text, i);
    if (end < 0) {
      const tail = text.slice(i).replace(/```\s*$/, '').trim();
      if (c === '{' && (fenced || CALL_START.test(tail))) { yield { text: tail, fenced }; return; }
      // A stray bracket in prose ("use { to open") must not hide a call after it; a bounded
      // number of retries keeps a pathological text linear.
      if (++unbalanced > 32) return;
      i++;
      continue;
    }
    const candidate = text.slice(i, end + 1);
    if (c === '{' || /^\[\s*\{/.test(candidate)) yield { text: candidate, fenced };
    i = end + 1;
  }
}

const FENCE_BEFORE = /```[\w-]*[ \t]*\r?\n?\s*$/;

/** The index of the bracket closing the one at `start`, or -1. */
function matchEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The text appended to the system prompt in JSON-in-text mode. */
export function jsonModeInstructions(tools: readonly ToolSchema[]): string {
  const list = tools.map((t) => `- ${t.name}: ${t.description}\n  parameters: ${JSON.stringify(t.parameters)}`).join('\n');
  return [
    'You call tools by replying with a JSON object, and nothing else is needed:',
    '{"tool": "<tool name>", "args": {<arguments>}}',
    'To make several calls at once, reply with several such objects (or a JSON array of them).',
    'Each result comes back in the next message. When the task is complete, call done: {"tool": "done", "args": {"answer": <your final answer>}}.',
    '',
    'Tools:',
    list,
  ].join('\n');
}
