// Asking the human in the terminal, and telling them how to answer later when there is no terminal.
import { createInterface } from 'node:readline/promises';
import { approve, reject, type PendingCall, type ResumeDecision } from 'looplet';

export const describeCall = (p: PendingCall): string => `${p.call.name}(${JSON.stringify(p.call.args)})`;

/** y/n for each pending call on a TTY; anything but y/yes/n/no is taken as the reason for refusing. */
export async function askInTerminal(pending: readonly PendingCall[]): Promise<Record<string, ResumeDecision>> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const decisions: Record<string, ResumeDecision> = {};
  try {
    for (const p of pending) {
      const a = (await rl.question(`\n⏸  ${describeCall(p)}\n   ${p.reason}\n   Approve? [y/N, or a reason to refuse] `)).trim();
      decisions[p.id] = /^y(es)?$/i.test(a) ? approve() : reject(a === '' || /^no?$/i.test(a) ? 'the user said no' : a);
    }
  } finally {
    rl.close();
  }
  return decisions;
}

/** Without a TTY: the pending calls, and the commands that answer them. */
export function printPending(pending: readonly PendingCall[], stateDir: string): void {
  for (const p of pending) console.log(`\n⏸  ${describeCall(p)} — ${p.reason}`);
  console.log(`\nPaused; the session is saved in ${stateDir}. Continue with:\n  npm run example:coding -- --resume --approve\n  npm run example:coding -- --resume --reject "why"`);
}
