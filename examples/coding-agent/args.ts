// The terminal's flags, read into a plain object. No Node built-ins: it only reads strings.

export interface CliOptions {
  readonly task?: string;
  readonly workspace?: string;
  readonly trace?: string;
  readonly yes: boolean;
  readonly resume: boolean;
  readonly approve: boolean;
  /** `--reject [reason]`: the reason, or a default when none was given. */
  readonly reject?: string;
  readonly jsonMode: boolean;
  readonly contextBudget?: number;
  readonly help: boolean;
}

export const USAGE = `usage: npm run example:coding -- [task] [flags]

  task                 what to do (default: "implement fizzbuzz in fizzbuzz.js and test it")
  --workspace DIR      the folder to work in (default: a fresh temp folder)
  --yes, -y            run commands without asking (the deny list still holds)
  --trace DIR          write the provenance record (DIR/provenance/NN/) and the session's JSONL trace (DIR/trace.jsonl)
  --json-mode          tool calls as JSON in the reply text, for models without tool calling (or CODING_AGENT_JSON_MODE=1)
  --context-budget N   tokens the conversation may take before it is compacted (default 32000)
  --resume             continue the paused or interrupted session
  --approve            with --resume: approve the pending calls
  --reject [reason]    with --resume: refuse them

Model: OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL (any OpenAI-compatible endpoint, Ollama included);
without them, a scripted model that implements and tests fizzbuzz.`;

/** The options, or a message saying what is wrong with the flags. */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliOptions | string {
  const words: string[] = [];
  const o: { -readonly [K in keyof CliOptions]: CliOptions[K] } = {
    yes: false, resume: false, approve: false, jsonMode: env.CODING_AGENT_JSON_MODE === '1', help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value.`);
      i++;
      return v;
    };
    try {
      if (a === '--workspace') o.workspace = value();
      else if (a === '--trace') o.trace = value();
      else if (a === '--yes' || a === '-y') o.yes = true;
      else if (a === '--resume') o.resume = true;
      else if (a === '--approve') o.approve = true;
      else if (a === '--reject') o.reject = argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'rejected in the terminal';
      else if (a === '--json-mode') o.jsonMode = true;
      else if (a === '--context-budget') {
        const n = Number(value());
        if (!(Number.isInteger(n) && n > 0)) throw new Error('--context-budget needs a positive whole number of tokens.');
        o.contextBudget = n;
      } else if (a === '--help' || a === '-h') o.help = true;
      else if (a.startsWith('-')) throw new Error(`Unknown flag ${a}.`);
      else words.push(a);
    } catch (err) {
      return (err as Error).message;
    }
  }
  if ((o.approve || o.reject !== undefined) && !o.resume) return '--approve and --reject answer a paused session: use them with --resume.';
  if (o.approve && o.reject !== undefined) return 'Give --approve or --reject, not both.';
  if (o.resume && words.length > 0) return '--resume continues the saved session and its task: give no new task.';
  if (o.resume && o.workspace) return '--resume continues in the saved session\'s workspace: leave out --workspace.';
  return words.length > 0 ? { ...o, task: words.join(' ') } : o;
}
