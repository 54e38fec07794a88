// The HTTP status a server answers a looplet refusal with, so every app maps them alike. A
// refusal is thrown before anything is saved or run: the stored run or chat is as it was.
import { ConversationError } from './conversation/conversation.ts';
import { CheckpointError, DecisionError } from './loop/refusals.ts';

/**
 * 409 for a conflict (a stale decision, a finished run, a busy chat, nothing to resume), 400 for
 * a bad request (a forged signature, a malformed decision, an empty message), 422 for a stored run
 * or chat that cannot be used; `undefined` when `error` is not a refusal (a 500 is yours to decide).
 */
export function refusalStatus(error: unknown): 400 | 409 | 422 | undefined {
  if (error instanceof DecisionError) return error.code === 'no_pending_call' ? 409 : 400;
  if (error instanceof CheckpointError) return error.code === 'already_done' ? 409 : 422;
  if (error instanceof ConversationError) return error.code === 'empty_message' ? 400 : error.code === 'corrupt' ? 422 : 409;
  return undefined;
}
