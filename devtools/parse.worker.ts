// Parses a JSONL trace off the main thread, in batches posted as they are ready: the first rows
// of a 100,000-step file show while the rest is still being read, and no single message is huge.
import { readJSONL } from 'looplet';
import type { ParseBatch, ParseRequest } from './parse.ts';

self.onmessage = async (m: MessageEvent<ParseRequest>) => {
  const { input, firstBatch = 300, batch = 2000 } = m.data;
  let size = firstBatch;
  let lines: string[] = [];
  let before = 0; // lines already posted
  const post = (done: boolean) => {
    const { events, errors } = readJSONL(lines.join('\n'));
    self.postMessage({ events, errors: errors.map((e) => ({ line: before + e.line, reason: e.reason })), done } satisfies ParseBatch);
    before += lines.length;
    lines = [];
    size = batch;
  };
  const take = (text: string, final: boolean): string => {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lines.push(text.slice(start, nl));
      start = nl + 1;
      if (lines.length >= size) post(false);
    }
    const rest = text.slice(start);
    if (final && rest) lines.push(rest);
    return final ? '' : rest;
  };
  if (typeof input === 'string') take(input, true);
  else {
    const reader = input.stream().pipeThrough(new TextDecoderStream()).getReader();
    let carry = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      carry = take(carry + value, false);
    }
    take(carry, true);
  }
  post(true);
};
