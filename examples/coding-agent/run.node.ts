// The terminal's `run`: a shell command in the workspace folder, with a timeout and an output cap.
// The permission hook decides what may run; this decides how: in its own process group (so a
// timeout kills what it started too), without the host's secrets in its environment.
import { spawn } from 'node:child_process';
import { capped } from './output-cap.ts';
import type { RunCommand, RunResult } from './workspace.ts';

const SECRET_ENV = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i;

export function nodeRun(root: string): RunCommand {
  return (command, { timeoutMs, signal }) =>
    new Promise<RunResult>((done, fail) => {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SECRET_ENV.test(k)));
      const child = spawn(command, { cwd: root, shell: true, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout = capped();
      const stderr = capped();
      child.stdout.setEncoding('utf8').on('data', stdout.add);
      child.stderr.setEncoding('utf8').on('data', stderr.add);
      let timedOut = false;
      const kill = () => {
        try {
          if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL'); // the whole group
          else child.kill('SIGKILL');
        } catch { /* already gone */ }
      };
      const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
      signal.addEventListener('abort', kill, { once: true });
      const settle = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', kill);
      };
      child.on('error', (err) => { settle(); fail(err); });
      child.on('close', (code) => {
        settle();
        done({ exitCode: code, stdout: stdout.text(), stderr: stderr.text(), ...(timedOut ? { timedOut: true } : {}) });
      });
    });
}
