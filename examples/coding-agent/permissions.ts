// Which `run` commands may run. A PermissionHook checks each call before it runs: the deny list
// first (the model reads why), then — unless the human said --yes — every command asks.
import { PermissionHook, type PermissionRule } from 'looplet';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Where a word starts in a shell command: after whitespace, a quote, an operator or '='.
const START = `(?:^|[\\s'"=<>|;&(])`;

/** The deny list for `run`'s command. `root` is the workspace's absolute path: the one absolute path allowed. */
export function commandRules(root: string): PermissionRule[] {
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
  // An absolute path (or ~, $HOME) that is not the workspace and not /dev/null.
  const outside = new RegExp(`${START}(?:~|\\$HOME\\b|\\$\\{HOME\\}|/(?!${escape(base.replace(/^\//, ''))}(?:/|[\\s'";&|)]|$)|dev/null\\b))`);
  const deny = (command: RegExp, reason: string): PermissionRule => ({ tool: 'run', args: { command }, action: 'deny', reason });
  return [
    deny(/\brm\s+(?:-\S+\s+)*(?:\/|~|\/\*)(?:\s|$)/, 'it would delete the root or home folder'),
    deny(new RegExp(`${START}(?:sudo|su|doas)(?:\\s|$)`), 'it asks for root'),
    deny(/\b(?:curl|wget)\b[^|]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b/, 'it pipes a download into a shell'),
    deny(/(?:^|[\s'"=<>|;&(/])\.\.(?:[/\s'";&|)]|$)/, 'it reaches outside the workspace with ".."'),
    deny(outside, `it names a path outside the workspace (${base})`),
  ];
}

/** The agent's permission policy: the deny list, then `ask` for every other command unless `yes`; `reason` says what approving lets run. */
export function permissionHook({ root, yes, reason = 'it runs a shell command in the workspace' }: { root: string; yes: boolean; reason?: string }): PermissionHook {
  const ask: PermissionRule[] = yes ? [] : [{ tool: 'run', action: 'ask', reason }];
  return new PermissionHook({ rules: [...commandRules(root), ...ask], default: 'allow' });
}
