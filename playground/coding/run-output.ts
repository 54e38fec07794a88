// The session's `run` calls as the page shows them under the workspace, read from the panel's
// events: the latest that ran (or was refused) with its output, and one waiting for approval.
import type { LoopEvent } from 'looplet';
import type { RunResult } from '../../examples/coding-agent/workspace.ts';

export interface RunOutput {
  readonly command: string;
  /** How it ended, in words: exit code, killed, refused. */
  readonly outcome: string;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunView {
  readonly last?: RunOutput;
  /** The command of a `run` waiting for approval, if the newest one is. */
  readonly waiting?: string;
}

const isRunResult = (v: unknown): v is RunResult => !!v && typeof v === 'object' && 'exitCode' in v && 'stdout' in v && 'stderr' in v;

export function runView(events: readonly LoopEvent[]): RunView {
  let waiting: string | undefined;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'step' || e.record.toolCall.name !== 'run') continue;
    const command = String(e.record.toolCall.args.command ?? '');
    if (e.record.status === 'paused') {
      waiting ??= command; // asked, not run; an older pause was answered already
      continue;
    }
    const { data, error } = e.record.toolResult;
    const seen = waiting === undefined ? {} : { waiting };
    if (!isRunResult(data)) return { ...seen, last: { command, outcome: `${e.record.status}${error ? `: ${error.message}` : ''}`, stdout: '', stderr: '' } };
    const outcome = data.timedOut ? 'killed at its time limit' : data.exitCode === null ? 'stopped' : `exit code ${data.exitCode}`;
    return { ...seen, last: { command, outcome, stdout: data.stdout, stderr: data.stderr } };
  }
  return waiting === undefined ? {} : { waiting };
}
