// A run's events read once into what every chat protocol shows: model calls, text and reasoning
// as they stream, each tool call's input (streamed, then complete), its result, and `done`'s
// answer. The rules live here, not in each protocol: the `done` call is the answer, not a tool;
// a JSON-in-text reply is the calls, not text; a reply that did not stream arrives whole.
import type { StepJSON } from '../shapes.ts';
import type { LoopEvent } from '../trace/events.ts';
import { DONE, parsedArgs } from './drive.ts';

type Kind = 'text' | 'reasoning';

/** What a protocol writes for each part of a run. */
export interface PartWriter {
  /** A model call begins (the previous one, if open, was ended first). */
  stepStart(step: number): void;
  stepEnd(): void;
  /** A text or reasoning part opens; returns its id. */
  open(kind: Kind): string;
  delta(kind: Kind, id: string, delta: string): void;
  close(kind: Kind, id: string): void;
  callStart(id: string, name: string): void;
  callArgs(id: string, delta: string): void;
  /** The call's arguments are complete (it is about to run, or waits for a human). */
  callReady(id: string, name: string, input: unknown): void;
  /** A call that ran, failed or was denied (never `done`, never a paused one). */
  result(record: StepJSON): void;
}

export interface RunReader {
  read(event: LoopEvent): void;
  /** Makes sure a call was announced complete (a resumed run's calls were announced in an earlier stream). */
  ready(id: string, name: string, input: unknown): void;
  /** Closes what is open: text, reasoning, the model call. */
  end(): void;
}

export function readRun(w: PartWriter): RunReader {
  let json = false, inStep = false, sawText = false, sawReasoning = false;
  const openIds: Partial<Record<Kind, string>> = {};
  const byIndex = new Map<number, string>(); // a streamed call's id, by its place in the reply
  const started = new Set<string>();
  const readied = new Set<string>();

  const close = (kind: Kind) => {
    const id = openIds[kind];
    if (id) w.close(kind, id);
    openIds[kind] = undefined;
  };
  const closeParts = () => { close('reasoning'); close('text'); };
  const write = (kind: Kind, delta: string) => {
    close(kind === 'text' ? 'reasoning' : 'text');
    w.delta(kind, (openIds[kind] ??= w.open(kind)), delta);
  };
  const start = (id: string, name: string) => {
    if (started.has(id)) return false;
    started.add(id);
    w.callStart(id, name);
    return true;
  };
  const ready = (id: string, name: string, input: unknown) => {
    if (start(id, name)) w.callArgs(id, typeof input === 'string' ? input : JSON.stringify(input ?? {}));
    if (!readied.has(id)) w.callReady(id, name, input);
    readied.add(id);
  };

  const read = (e: LoopEvent): void => {
    switch (e.type) {
      case 'run.start':
        json = e.config.toolCallMode === 'json';
        return;
      case 'prompt':
        closeParts();
        if (inStep) w.stepEnd();
        w.stepStart(e.step);
        inStep = true;
        sawText = sawReasoning = false;
        byIndex.clear();
        return;
      case 'llm.delta':
        if (e.reasoning) { sawReasoning = true; write('reasoning', e.reasoning); }
        if (e.text && !json) { sawText = true; write('text', e.text); }
        if (e.toolCallIndex === undefined) return;
        if (e.toolName !== undefined && e.toolCallId && e.toolName !== DONE) {
          closeParts();
          byIndex.set(e.toolCallIndex, e.toolCallId);
          start(e.toolCallId, e.toolName);
        }
        if (e.argumentsDelta && byIndex.has(e.toolCallIndex)) w.callArgs(byIndex.get(e.toolCallIndex)!, e.argumentsDelta);
        return;
      case 'llm.response': {
        const r = e.response;
        if (r.reasoning && !sawReasoning) write('reasoning', r.reasoning);
        if (r.text && !sawText && !json) write('text', r.text);
        closeParts();
        for (const c of r.toolCalls ?? []) {
          // no id yet: the loop names the call, and its tool.call announces it
          if (!c.id || c.name === DONE || !start(c.id, c.name)) continue;
          const raw = typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments);
          if (raw) w.callArgs(c.id, raw);
        }
        return;
      }
      case 'tool.call':
        if (e.call.name !== DONE) ready(e.call.id, e.call.name, parsedArgs(e.call.arguments));
        return;
      case 'step': {
        const { status, toolCall: call, toolResult: result } = e.record;
        if (call.name === DONE) {
          const answer = (result.data as { answer?: unknown } | undefined)?.answer;
          if (status === 'ok' && answer !== undefined) write('text', typeof answer === 'string' ? answer : JSON.stringify(answer));
          close('text');
          return;
        }
        if (status === 'paused') return; // a pause is reported with the outcome (which carries the signatures)
        closeParts();
        ready(call.id, call.name, call.args);
        w.result(e.record);
        return;
      }
    }
  };

  return {
    read,
    ready,
    end() {
      closeParts();
      if (inStep) w.stepEnd();
      inStep = false;
    },
  };
}
