// A call's progress through a turn, as one state machine. `transition` is the only code that
// changes a call's state, and it refuses a change the diagram (`CallState` in ../../shapes.ts)
// does not allow. What the model reads about a call is rendered from it (../messages.ts).
import type { CallRecord, CallState, SkipReason, ToolError, ToolPauseInfo } from '../../shapes.ts';
import { DONE } from '../../tools/done.ts';

export type CallEvent =
  /** Cleared to run: validated and allowed by the hooks, or approved by a human. */
  | { readonly type: 'allow' }
  /** Invalid, unknown, or refused by a failing hook: an error step. */
  | { readonly type: 'fail'; readonly error: ToolError }
  /** Denied by a hook or a human, or a `done` a hook rejected: a denied step. */
  | { readonly type: 'deny'; readonly error: ToolError }
  /** A hook answered in the tool's place, or replaced its result. */
  | { readonly type: 'respond'; readonly data: unknown }
  /** A hook (or needsApproval) asked before the call, or the tool itself asked while running (`tool`). */
  | { readonly type: 'pause'; readonly reason: string; readonly tool?: ToolPauseInfo }
  | { readonly type: 'skip'; readonly reason: SkipReason }
  | { readonly type: 'start' }
  | { readonly type: 'finish'; readonly data?: unknown; readonly error?: ToolError; readonly durationMs: number }
  /** Its step was yielded (or, skipped, the model was told why). */
  | { readonly type: 'record' }
  /** Found running in a checkpoint: the process stopped mid-call, so a human decides. */
  | { readonly type: 'interrupt' }
  /** Waiting behind a pause that was answered without a decision for it: looked at afresh. */
  | { readonly type: 'reopen' };

const FROM: { readonly [E in CallEvent['type']]: readonly CallState[] } = {
  allow: ['planned', 'paused', 'skipped'],
  fail: ['planned', 'approved'],
  deny: ['planned', 'approved', 'running', 'paused', 'skipped'],
  respond: ['planned', 'finished'],
  pause: ['planned', 'running'],
  skip: ['planned', 'approved', 'running', 'finished'],
  start: ['approved'],
  finish: ['running'],
  record: ['finished', 'skipped'],
  interrupt: ['running'],
  reopen: ['skipped'],
};

/** A call of a new reply. */
export function newCall(id: string, name: string, raw: CallRecord['raw']): CallRecord {
  return { id, name, raw, index: 0, args: {}, state: 'planned', status: 'ok', durationMs: 0 };
}

/** Skipped only until an earlier call of its reply is decided. */
export const behindPause = (c: CallRecord): boolean => c.state === 'skipped' && c.hold?.kind === 'skip' && c.hold.reason === 'paused';


export function transition(call: CallRecord, event: CallEvent): void {
  // Leaving `skipped` (other than to be answered) is only for a call that waits behind a pause.
  const leavesSkip = call.state === 'skipped' && event.type !== 'record';
  const answersWaiting = call.state === 'skipped' && event.type === 'record' && behindPause(call);
  if (!FROM[event.type].includes(call.state) || (leavesSkip && !behindPause(call)) || answersWaiting) {
    throw new Error(`looplet: call "${call.id}" cannot take "${event.type}" while ${call.state}`);
  }
  switch (event.type) {
    case 'allow': return move(call, 'approved');
    case 'fail': return settle(call, 'error', undefined, event.error);
    case 'deny': return settle(call, 'denied', undefined, event.error);
    case 'respond':
      // A replaced result keeps a denial, and clears an error.
      if (call.state === 'finished' && call.status === 'denied') call.data = event.data;
      else settle(call, 'ok', event.data, undefined);
      return;
    case 'pause': return hold(call, 'paused', event.tool ? { kind: 'pause', reason: event.reason, tool: event.tool } : { kind: 'pause', reason: event.reason });
    case 'skip': return hold(call, 'skipped', { kind: 'skip', reason: event.reason });
    case 'start': return move(call, 'running');
    case 'finish':
      call.durationMs = event.durationMs;
      return event.error ? settle(call, 'error', undefined, event.error) : settle(call, 'ok', event.data, undefined);
    case 'record': call.state = 'recorded'; return; // a skipped call keeps its hold: it says why it was not run
    case 'interrupt': return hold(call, 'paused', { kind: 'interrupted' });
    case 'reopen': return move(call, 'planned');
  }
}

function move(call: CallRecord, to: CallState): void {
  call.state = to;
  delete call.hold;
}

function hold(call: CallRecord, to: CallState, why: NonNullable<CallRecord['hold']>): void {
  call.state = to;
  call.hold = why;
}

function settle(call: CallRecord, status: CallRecord['status'], data: unknown, error: ToolError | undefined): void {
  move(call, 'finished');
  delete call.progress; // what it saved while running is done with
  call.status = status;
  if (data === undefined) delete call.data; else call.data = data;
  if (error) call.error = error; else delete call.error;
}

/** The reply's `done` call, once it is recorded as accepted: the run is done. */
export const acceptedDone = (calls: readonly CallRecord[]): CallRecord | undefined =>
  calls.find((c) => c.name === DONE && c.state === 'recorded' && !c.hold && c.status === 'ok');
