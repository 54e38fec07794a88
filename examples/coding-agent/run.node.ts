// The terminal's `run`: a shell command in the workspace folder, with a timeout and an output cap.
// The permission hook decides what may run; this decides how: in its own process group (so a
// timeout kills what it started too), without the host's secrets in its environment.
import { spawn } from 'node:child_process';
import type { RunCommand, RunResult } from './workspace.ts';

const HEAD = 2_000; // characters kept from the start of each stream…
const TAIL = 6_000; // …and from its end, where errors usually are
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

/** A stream's text with its middle cut past HEAD + TAIL characters, kept that small as it arrives. */
function capped(): { add: (s: string) => void; text: () => string } {
  let head = '';
  let tail = '';
  let cut = 0;
  return {
    add(s) {
      const room = HEAD - head.length;
      if (room > 0) { head += s.slice(0, room); s = s.slice(room); }
      tail += s;
      if (tail.length > TAIL) { cut += tail.length - TAIL; tail = tail.slice(-TAIL); }
    },
    text: () => (cut ? `${head}\n[… ${cut} characters cut …]\n${tail}` : head + tail),
  };
}
