// A scripted session for the browser only: code that tries the network, then code that never
// ends. Both must fail cleanly — the first at once, the second at its time limit — and the page
// must stay responsive throughout.
import type { Message } from 'looplet';
import type { ScriptStep } from '../../examples/coding-agent/scripted.ts';

export const NET_JS = `// Tries the network: the sandbox has none, so this fails at once.
fetch('https://example.com/').then((r) => console.log('fetched', r.status));
`;

export const LOOP_JS = `// Never ends: the run's time limit stops it.
console.log('looping…');
while (true) {}
`;

const results = (messages: readonly Message[]) =>
  messages.filter((m) => m.role === 'tool' || (m.role === 'user' && m.content.startsWith('Result of '))).map((m) => m.content).join('\n');

function verdict(messages: readonly Message[]): Record<string, unknown> {
  const seen = results(messages);
  const blocked = seen.includes('fetch is not available in this sandbox');
  const stopped = /"timedOut":\s*true/.test(seen);
  return { answer: blocked && stopped ? 'The sandbox held: net.js could not reach the network, and loop.js was stopped at its time limit.' : `Something was not contained: ${seen.slice(-300)}` };
}

export const SANDBOX_SESSION: readonly ScriptStep[] = [
  { id: 'call-write-net', say: 'A script that fetches a page.', name: 'write', args: { path: 'net.js', content: NET_JS } },
  { id: 'call-run-net', say: 'Running it.', name: 'run', args: { command: 'node net.js' } },
  { id: 'call-write-loop', say: 'A script that never ends.', name: 'write', args: { path: 'loop.js', content: LOOP_JS } },
  { id: 'call-run-loop', say: 'Running it with a 2 second limit.', name: 'run', args: { command: 'node loop.js', timeout_ms: 2000 } },
  { id: 'call-done', say: 'Done.', name: 'done', args: verdict },
];
