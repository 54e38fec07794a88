// What the browser host's `run` does with a command. There is no shell in a tab: a command is
// JavaScript — `node FILE.js [args]` runs a workspace file, `node -e CODE` / `node -p CODE` runs
// code, anything else is taken as JavaScript source — and shell commands get a clear refusal,
// so the model changes course instead of retrying.
import { workspacePath } from './workspace.ts';

export type JsCommand =
  | { readonly kind: 'file'; readonly path: string; readonly args: readonly string[] }
  | { readonly kind: 'code'; readonly code: string; readonly print: boolean }
  | { readonly kind: 'refused'; readonly exitCode: number; readonly message: string };

const HOW = 'run takes `node FILE.js [args]`, `node -e CODE`, or JavaScript source';
// Commands a model reaches for out of habit; none exist here.
const SHELL = /^(?:npm|npx|yarn|pnpm|bun|deno|tsc|tsx|jest|vitest|mocha|python3?|pip3?|bash|sh|zsh|ls|cat|echo|cd|pwd|rm|mkdir|cp|mv|touch|git|curl|wget|sudo|grep|find|head|tail|sed|awk|env|export)(?:\s|$)/;
const FILE = /^(?:\.\/)?[\w@.-]+(?:\/[\w@.-]+)*\.[cm]?js$/;

export function parseJsCommand(command: string, root: string): JsCommand {
  const cmd = command.trim();
  const shell = SHELL.exec(cmd)?.[0]?.trim();
  if (shell) return { kind: 'refused', exitCode: 127, message: `${shell}: command not found. This workspace runs in the browser, without a shell: ${HOW}.` };
  if (FILE.test(cmd)) return file(cmd, [], root);
  if (!/^node(?:\s|$)/.test(cmd)) return { kind: 'code', code: cmd, print: false };

  const words = shellWords(cmd);
  if (!words) return { kind: 'refused', exitCode: 2, message: `One command at a time, without shell operators (&&, |, ;, >) or unclosed quotes: ${HOW}.` };
  const [, first, ...rest] = words;
  if (first === undefined) return { kind: 'refused', exitCode: 2, message: `node needs a file to run (there is no REPL): ${HOW}.` };
  if (first === '-e' || first === '--eval' || first === '-p' || first === '--print') {
    if (rest[0] === undefined) return { kind: 'refused', exitCode: 9, message: `node ${first} needs code to run.` };
    return { kind: 'code', code: rest[0], print: first === '-p' || first === '--print' };
  }
  if (first.startsWith('-')) return { kind: 'refused', exitCode: 9, message: `node ${first}: not supported in the browser sandbox; ${HOW}.` };
  return file(first, rest, root);
}

function file(path: string, args: readonly string[], root: string): JsCommand {
  try {
    return { kind: 'file', path: workspacePath(path, root), args };
  } catch (err) {
    return { kind: 'refused', exitCode: 1, message: (err as Error).message };
  }
}

/** A command's words, with '…' and "…" quoting; undefined when it holds a shell operator or an unclosed quote. */
export function shellWords(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === "'" || c === '"') {
      const end = closing(command, i);
      if (end < 0) return undefined;
      const inner = command.slice(i + 1, end);
      word = (word ?? '') + (c === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('|&;<>`$()'.includes(c)) {
      return undefined;
    } else {
      word = (word ?? '') + (c === '\\' ? (command[++i] ?? '') : c);
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Where the quote opened at `i` closes (a backslash escapes a double quote inside "…"), or -1. */
function closing(s: string, i: number): number {
  const q = s[i]!;
  for (let j = i + 1; j < s.length; j++) {
    if (q === '"' && s[j] === '\\') j++;
    else if (s[j] === q) return j;
  }
  return -1;
}
