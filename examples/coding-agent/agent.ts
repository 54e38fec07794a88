// The coding agent, defined once for every host: its tools, hooks and prompt. A host brings the
// workspace and the `run` implementation (the terminal: the file system and a shell; a browser:
// OPFS and a Web Worker), plus its own checkpoints and traces.
import {
  compactChain, pruneToolResults, summarize, ThresholdCompactHook, truncate,
  type Hook, type LLMBackend, type LoopConfig, type Strategy, type ToolRegistry,
} from 'looplet';
import { stubOldFileContents } from './compact.ts';
import { permissionHook } from './permissions.ts';
import { codingTools } from './tools.ts';
import type { RunCommand, Workspace } from './workspace.ts';

export const DEFAULT_TASK = 'implement fizzbuzz in fizzbuzz.js and test it';

export interface CodingAgentOptions {
  readonly workspace: Workspace;
  readonly run: RunCommand;
  /** The workspace's absolute path (the terminal's folder; a browser's virtual root): what commands may name. */
  readonly root: string;
  /** Run commands without asking (the deny list still holds). */
  readonly yes?: boolean;
  /** JSON-in-text tool calls, for models without native tool calling. */
  readonly jsonMode?: boolean;
  /** Tokens the conversation may take before it is compacted. Default 32,000. */
  readonly contextBudget?: number;
  /** A model to summarise old turns with when compacting; without one, old results are pruned and old turns dropped. */
  readonly summarizer?: LLMBackend;
  readonly maxSteps?: number;
  /** What `run` is on this host, when it is not a shell (the browser: JavaScript in a Web Worker): told to the model, and in the approval's reason. */
  readonly runHost?: { readonly notes: string; readonly askReason: string };
}

export interface CodingAgent {
  readonly tools: ToolRegistry;
  readonly hooks: Hook[];
  readonly config: LoopConfig;
}

export function codingAgent(o: CodingAgentOptions): CodingAgent {
  return {
    tools: codingTools({ workspace: o.workspace, run: o.run, root: o.root }),
    hooks: [permissionHook({ root: o.root, yes: o.yes ?? false, ...(o.runHost ? { reason: o.runHost.askReason } : {}) }), compaction(o.contextBudget ?? 32_000, o.summarizer)],
    config: { system: systemPrompt(o.root, o.runHost?.notes), toolCallMode: o.jsonMode ? 'json' : 'native', maxSteps: o.maxSteps ?? 40, parallelToolCalls: true },
  };
}

function systemPrompt(root: string, runNotes: string | undefined): string {
  return [
    `You are a coding agent working in a workspace folder (${root}). Paths are relative to it.`,
    'Look around with list, read and grep. Create files with write; change them with edit, whose old_text must match the file exactly (whitespace included) and only once.',
    'Run commands (tests, scripts) with run: it runs in the workspace; commands that reach outside it, need root, or pipe downloads into a shell are refused, and a refused command will be refused again, so do something else.',
    ...(runNotes ? [runNotes] : []),
    'Test what you write. Read each result before the next step. When the task is done and tested, call done with a short summary.',
  ].join('\n');
}

/** Old tool results and old file contents become stubs first, then (with a summariser) the middle is summarised, then old turns go. */
function compaction(budgetTokens: number, summarizer: LLMBackend | undefined): ThresholdCompactHook {
  const stages: Strategy[] = [pruneToolResults({ keepLast: 4 }), stubOldFileContents({ keepLast: 4 })];
  if (summarizer) stages.push(summarize({ llm: summarizer, keepLast: 8 }));
  stages.push(truncate({ keepFirst: 1, keepLast: 12 }));
  return new ThresholdCompactHook({ budgetTokens, strategy: compactChain(...stages) });
}
