// JSON-in-text tool calling, for models without native tools: the system prompt asks for
// {"tool": "<name>", "args": {…}}, and the reply text is scanned for such objects — bare,
// fenced, amid prose, several of them, an array of them, or a {"tools": [...]} list. What models
// really write is accepted too: raw newlines and tabs inside strings (a multi-line edit), and
// arguments written beside "tool" instead of inside "args".
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
    const value = parseLoose(chunk.text);
    if (value instanceof Error) {
      if (chunk.fenced || CALL_START.test(chunk.text)) problem ??= `Your reply contains a tool call that is not valid JSON: ${value.message}. You sent: ${quote(chunk.text)} ${FORMAT}`;
      continue;
    }
    for (const v of listed(value)) {
      const call = toCall(v);
      if (call === undefined) continue;
      if (typeof call === 'string') problem ??= `${call} You sent: ${quote(JSON.stringify(v))} ${FORMAT}`;
      else calls.push(call);
    }
  }
  if (calls.length > 0) return { kind: 'calls', calls };
  if (problem) return { kind: 'malformed', message: problem };
  return { kind: 'none' };
}

const quote = (s: string) => JSON.stringify(s.length > 200 ? `${s.slice(0, 199)}…` : s);

/** JSON, or JSON whose strings hold raw control characters (newlines, tabs: a multi-line edit) once those are escaped. */
function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    try {
      return JSON.parse(escapeControls(text));
    } catch {
      return err as Error;
    }
  }
}

/** The text with control characters inside its JSON strings written as escapes. */
function escapeControls(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString && c === '\\') { out += c + (text[++i] ?? ''); continue; }
    if (c === '"') inString = !inString;
    const code = c.charCodeAt(0);
    if (inString && code < 0x20) out += c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** The calls a JSON value holds: an array of them, a {"tools": [...]} list, or itself. */
function listed(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const o = value as Record<string, unknown> | null;
  const list = o && typeof o === 'object' && !nameOf(o) ? (o.tools ?? o.tool_calls ?? o.calls) : undefined;
  return Array.isArray(list) ? list : [value];
}

const nameOf = (o: Record<string, unknown>): string | undefined => {
  const fn = typeof o.function === 'object' && o.function !== null ? (o.function as Record<string, unknown>) : undefined;
  const name = o.tool ?? o.tool_name ?? o.name ?? fn?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
};

const ARG_KEYS = ['args', 'arguments', 'parameters', 'input'] as const;
// Fields beside a call that are about it, not arguments of it.
const META = new Set(['tool', 'tool_name', 'function', 'reasoning', 'thought', 'thoughts', 'thinking']);

/** A tool call, a reason it is a broken one, or undefined for JSON that is not a call. */
function toCall(v: unknown): TextToolCall | string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const fn = typeof o.function === 'object' && o.function !== null ? (o.function as Record<string, unknown>) : undefined;
  const name = nameOf(o);
  if (name === undefined) return undefined;
  let args = o.args ?? o.arguments ?? o.parameters ?? o.input ?? fn?.arguments ?? fn?.parameters;
  if ((args === undefined || args === null) && !ARG_KEYS.some((k) => k in o)) {
    // {"tool": "write", "path": "a.txt", …}: the arguments were written beside the name.
    const nameKey = o.tool !== undefined ? 'tool' : o.tool_name !== undefined ? 'tool_name' : o.name !== undefined ? 'name' : 'function';
    args = Object.fromEntries(Object.entries(o).filter(([k]) => k !== nameKey && !META.has(k)));
  }
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
