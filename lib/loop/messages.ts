// Every text the model reads that the loop writes itself (but a pause's, in pauses.ts). Rendered
// from a run's state when a prompt is built: none of it is stored in a call's state or compared against.
import type { SkipReason, Task, ToolError } from '../shapes.ts';
import { safeJSON } from '../util/json.ts';

export const DEFAULT_SYSTEM =
  'You are an agent that completes the task by calling tools. Call one tool at a time or several in one reply; ' +
  'read each result before deciding what to do next. When the task is complete, call `done` with your final answer.';

/** The first user message: a task object renders as its goal, then its other fields as JSON. */
export function taskText(task: Task): string {
  if (typeof task === 'string') return task;
  const { goal, ...rest } = task;
  return Object.keys(rest).length === 0 ? goal : `${goal}\n\n${safeJSON(rest, 2)}`;
}

/** What the model reads back for one call. */
export function resultText(data: unknown, error: ToolError | undefined): string {
  if (error) {
    if (error.kind === 'denied') return `Denied: ${error.message}${error.retriable ? ' (You may retry.)' : ''}`;
    if (error.kind === 'done_rejected') return `Not done yet: ${error.message}`;
    return `Error (${error.kind}): ${error.message}`;
  }
  if (typeof data === 'string') return data;
  if (data === undefined) return '(no result)';
  return safeJSON(data);
}

/** What the model reads for a call that was not run. */
export function skipText(reason: SkipReason, maxSteps: number): string {
  switch (reason) {
    case 'budget': return `Not run: the step budget (maxSteps=${maxSteps}) is used up.`;
    case 'after_done': return 'Not run: it came after `done` in the same reply.';
    case 'stopped': return 'Not run: the run was stopped.';
    case 'paused': return 'Not run yet: the run is paused for approval of an earlier call.';
    case 'one_at_a_time': return 'Not run: only one tool call per reply is allowed; call it again on its own.';
  }
}

export function nudgeText(mode: 'native' | 'json', malformed?: string): string {
  if (malformed) return malformed;
  return mode === 'json'
    ? 'Your reply contained no tool call. Reply with a JSON tool call {"tool": "<name>", "args": {...}}; when the task is complete, call done.'
    : 'Your reply did not call a tool. Call one of the tools; when the task is complete, call `done` with your final answer.';
}
