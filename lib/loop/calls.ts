// What the loop and the pause/resume path both do to a call of the model's reply.
import { errorMessage, type ToolError } from '../errors.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { CallState } from './checkpoint.ts';
import { safeJSON } from './step.ts';
import { didYouMean } from './suggest.ts';

/** The arguments as an object, or why they are not one. */
export function parseArgs(raw: Record<string, unknown> | string): { args: Record<string, unknown> } | { kind: 'invalid_json' | 'invalid_args'; error: string } {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return { args: {} };
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return { kind: 'invalid_json', error: `The arguments are not valid JSON (${errorMessage(err)}). You sent: ${raw.slice(0, 200)}` };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid_args', error: `The arguments must be a JSON object, got ${safeJSON(value).slice(0, 100)}.` };
  }
  return { args: value as Record<string, unknown> };
}

/** Makes the call an error step. */
export function failCall(it: CallState, kind: ToolError['kind'], message: string, retriable: boolean): void {
  it.phase = 'result';
  it.status = 'error';
  it.error = { kind, message, retriable };
}

export function unknownToolMessage(name: string, registry: ToolRegistry): string {
  const names = registry.list().map((t) => t.name);
  const guess = didYouMean(name, names);
  return `Unknown tool "${name}".${guess ? ` Did you mean "${guess}"?` : ''} Available tools: ${names.join(', ')}.`;
}
