// What the loop and the pause/resume path both do to a call of the model's reply.
import { errorMessage } from '../errors.ts';
import type { CallRecord } from '../shapes.ts';
import type { RegisteredTool, ValidationResult } from '../tools/types.ts';
import { nestsDeeper, safeJSON } from '../util/json.ts';
import { transition } from './run/call.ts';

/**
 * Arguments nested deeper than this are refused: nothing a model sends is walked (copied, frozen,
 * validated, signed, saved) without a bound.
 */
export const MAX_ARGS_DEPTH = 64;
const TOO_DEEP = `[arguments nested deeper than ${MAX_ARGS_DEPTH} levels]`;
const tooDeep = { kind: 'invalid_args' as const, error: `The arguments are nested deeper than ${MAX_ARGS_DEPTH} levels.` };

/** A call's arguments as kept in the batch: as the backend gave them, unless they nest too deeply to keep. */
export function rawArgs(args: unknown): CallRecord['raw'] {
  if (args === undefined || args === null) return {};
  if (typeof args === 'string') return args;
  if (typeof args !== 'object') return safeJSON(args); // a number, a boolean…: kept as the text it would have been
  return nestsDeeper(args, MAX_ARGS_DEPTH) ? TOO_DEEP : (args as CallRecord['raw']);
}

/** The arguments as an object, or why they are not one. */
export function parseArgs(raw: Record<string, unknown> | string): { args: Record<string, unknown> } | { kind: 'invalid_json' | 'invalid_args'; error: string } {
  if (raw === TOO_DEEP) return tooDeep;
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
  if (nestsDeeper(value, MAX_ARGS_DEPTH)) return tooDeep;
  return { args: value as Record<string, unknown> };
}

/**
 * Validates `call.args` against its tool and keeps the validated value; a call whose arguments
 * fail becomes an error step. True when valid; synchronous when the validator is.
 */
export function validateArgs(call: CallRecord, tool: RegisteredTool): boolean | Promise<boolean> {
  const given = call.args;
  const fail = (message: string): false => {
    transition(call, { type: 'fail', error: { kind: 'invalid_args', message: `Invalid arguments for ${tool.name}: ${message}`, retriable: true } });
    return false;
  };
  const settle = (res: ValidationResult): boolean => {
    if (res.ok) {
      call.args = res.value;
      if (res.value !== given) call.input = given;
      else delete call.input;
      return true;
    }
    const list = res.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return fail(`${list}. You sent: ${safeJSON(call.args).slice(0, 300)}`);
  };
  try {
    const r = tool.validate(call.args);
    return r instanceof Promise ? r.then(settle, (err: unknown) => fail(errorMessage(err))) : settle(r);
  } catch (err) {
    return fail(errorMessage(err));
  }
}
