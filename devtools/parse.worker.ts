// Parses a JSONL trace off the main thread: a 10,000-step file must not freeze the page.
import { readJSONL } from 'looplet';

self.onmessage = (m: MessageEvent<string>) => {
  const { events, errors } = readJSONL(m.data);
  self.postMessage({ events, errors: errors.map((e) => ({ line: e.line, reason: e.reason })) });
};
