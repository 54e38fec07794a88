// A compaction stage for coding sessions: most of their tokens are file contents the agent wrote
// (write's content, edit's old and new text), kept in its own tool calls. Once a few turns old,
// the file on disk is the truth, so those strings become a stub saying where to read them again.
import type { Message, Strategy } from 'looplet';

const LONG = 200; // characters: shorter strings (paths, commands) stay as they are
const FILE_ARGS = new Set(['content', 'old_text', 'new_text']);

/** Stubs the file contents in all but the last `keepLast` assistant messages' write and edit calls. */
export function stubOldFileContents({ keepLast = 4 }: { keepLast?: number } = {}): Strategy {
  const stage = (messages: readonly Message[]): Message[] => {
    const assistants = messages.flatMap((m, i) => (m.role === 'assistant' && m.toolCalls?.length ? [i] : []));
    const old = new Set(assistants.slice(0, Math.max(0, assistants.length - keepLast)));
    return messages.map((m, i) => (old.has(i) ? { ...m, toolCalls: m.toolCalls!.map((c) => ({ ...c, arguments: stubArgs(c.arguments) })) } : m));
  };
  return Object.assign(stage, { strategyName: 'stubOldFileContents' });
}

function stubArgs(raw: string): string {
  let args: unknown;
  try {
    args = JSON.parse(raw);
  } catch {
    return raw; // not ours to fix
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) return raw;
  const path = String((args as Record<string, unknown>).path ?? 'the file');
  const out = Object.fromEntries(Object.entries(args).map(([k, v]) =>
    FILE_ARGS.has(k) && typeof v === 'string' && v.length > LONG ? [k, `[${v.length} characters, elided to save context: read ${path} for its current text]`] : [k, v]));
  return JSON.stringify(out);
}
