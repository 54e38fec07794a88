// `?format=ui`: the chat's last turn as the AI SDK's UI message stream (what `useChat` reads) — its
// events so far, then the live ones — made by looplet/ui from the same events the log keeps. A
// paused turn ends with an approval request per pending call, signature included.
import type { Hook, LoopOutcome, Step } from 'looplet';
import { uiMessageStreamResponse } from 'looplet/ui';
import type { Logged } from './event-log.ts';

export function uiStream(events: AsyncGenerator<Logged, void>, turn: number, headers: HeadersInit = {}): Response {
  return uiMessageStreamResponse((hook) => replay(events, turn, hook), { headers });
}

/** The turn's events handed to the stream's hook, as if it ran now; its outcome is the last `run.end`'s (a resumed turn has two). */
async function* replay(events: AsyncGenerator<Logged, void>, turn: number, hook: Hook): AsyncGenerator<Step, LoopOutcome> {
  let outcome: LoopOutcome | undefined;
  for await (const { event } of events) {
    if (event.turn !== turn) continue;
    await hook.onEvent?.(event);
    if (event.type === 'run.end') outcome = event.outcome;
  }
  if (!outcome) throw new Error(`Turn ${turn} has not started or ended yet.`);
  return outcome;
}
