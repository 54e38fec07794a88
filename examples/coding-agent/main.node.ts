// The coding agent in the terminal: it works in a folder, asks before running commands, and
// survives the process (checkpoints in files).
//
//   npm run example:coding -- "implement fizzbuzz in fizzbuzz.js and test it"
//   npm run example:coding -- --workspace ./scratch --trace ./runs/today --yes "add a README"
//   npm run example:coding -- --resume --approve          # answer a pause from another process
//
// A model from OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL (Ollama:
// OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_MODEL=qwen2.5-coder), else a scripted one.
// Test aids: CODING_AGENT_SCRIPT picks the scripted session (fizzbuzz, escape);
// CODING_AGENT_WRITE_DELAY_MS makes every write slow; CODING_AGENT_STATE moves the saved session.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CheckpointHook, composableLoop, OpenAIBackend, resumeFrom,
  type Checkpoint, type Hook, type LLMBackend, type LoopOutcome, type ResumeDecision, type Step,
} from 'looplet';
import { fileStore } from 'looplet/file-store';
import { codingAgent, DEFAULT_TASK } from './agent.ts';
import { askInTerminal, printPending } from './approve.node.ts';
import { parseCli, USAGE } from './args.ts';
import { askable, flagAnswer, planResume } from './resume.ts';
import { nodeRun } from './run.node.ts';
import { scriptedCodingModel } from './scripted.ts';
import { traceHooks } from './trace.node.ts';
import { nodeWorkspace } from './workspace.node.ts';
import { slowWrites } from './workspace.ts';

const RUN = 'coding-session';

/** What the host keeps in the run's state, so `--resume` finds the same folders. */
interface Session {
  readonly workspace: string;
  readonly trace?: string;
}

const env = process.env;
const opts = parseCli(process.argv.slice(2), env);
if (typeof opts === 'string' || opts.help) {
  console.error(typeof opts === 'string' ? `${opts}\n\n${USAGE}` : USAGE);
  process.exit(typeof opts === 'string' ? 2 : 0);
}

const stateDir = resolve(env.CODING_AGENT_STATE || join(tmpdir(), 'looplet-coding-agent'));
const store = fileStore(join(stateDir, 'checkpoints'));
const saved = opts.resume ? await store.get(RUN) : undefined;
if (opts.resume && (!saved || saved.status === 'done' || typeof saved.state.workspace !== 'string')) {
  console.error(saved?.status === 'done' ? 'The saved session already finished; start a new one.' : `No saved session to resume in ${stateDir}.`);
  process.exit(1);
}

const session: Session = saved
  ? { ...(saved.state as unknown as Session), ...(opts.trace ? { trace: resolve(opts.trace) } : {}) }
  : { workspace: opts.workspace ? resolve(opts.workspace) : await mkdtemp(join(tmpdir(), 'coding-workspace-')), ...(opts.trace ? { trace: resolve(opts.trace) } : {}) };
const root = session.workspace;
await mkdir(root, { recursive: true });

const real = Boolean(env.OPENAI_BASE_URL || env.OPENAI_API_KEY);
const model = env.OPENAI_MODEL || 'gpt-4o-mini';
const llm: LLMBackend = real
  ? new OpenAIBackend({ baseURL: env.OPENAI_BASE_URL || undefined, apiKey: env.OPENAI_API_KEY || undefined, model })
  : scriptedCodingModel(env.CODING_AGENT_SCRIPT || 'fizzbuzz');

const agent = codingAgent({
  workspace: slowWrites(nodeWorkspace(root), Number(env.CODING_AGENT_WRITE_DELAY_MS) || 0),
  run: nodeRun(root),
  root,
  yes: opts.yes,
  jsonMode: opts.jsonMode,
  ...(opts.contextBudget ? { contextBudget: opts.contextBudget } : {}),
  ...(real ? { summarizer: llm } : {}),
});

/** Each process's part of the run gets its own hooks: a fresh provenance record per part. */
let fresh = !opts.resume;
async function hooks(): Promise<Hook[]> {
  const trace = session.trace ? await traceHooks(session.trace, fresh) : [];
  fresh = false;
  return [...agent.hooks, new CheckpointHook({ store, runId: RUN }), ...trace];
}

const resumeRun = async (decisions: Record<string, ResumeDecision>) =>
  resumeFrom(store, RUN, { llm, tools: agent.tools, hooks: await hooks(), decisions });

console.log(`model: ${real ? `${model} at ${env.OPENAI_BASE_URL || 'api.openai.com'}` : 'scripted (set OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL for a real one)'}${opts.jsonMode ? ', JSON-in-text tool calls' : ''}`);
console.log(`workspace: ${root}${session.trace ? `\ntrace: ${session.trace}` : ''}\n`);

let run: AsyncGenerator<Step, LoopOutcome>;
if (saved) {
  const plan = planResume(saved as Checkpoint, flagAnswer(opts));
  for (const r of plan.repeated) console.log(`↻ ${r} was running when the process stopped: running it again (safe to repeat).`);
  run = await resumeRun(plan.decisions);
} else {
  run = composableLoop({ llm, tools: agent.tools, task: opts.task ?? DEFAULT_TASK, config: agent.config, hooks: await hooks(), runId: RUN, state: { ...session } });
}

for (;;) {
  const outcome = await drive(run);
  if (!outcome) break;
  if (outcome.status === 'paused' && outcome.pending?.length) {
    const open = askable(outcome.checkpoint);
    const pending = outcome.pending.filter((p) => open.has(p.id));
    if (!process.stdin.isTTY) {
      printPending(pending, stateDir);
      break;
    }
    run = await resumeRun(await askInTerminal(pending));
    continue;
  }
  const how = outcome.status === 'done' ? JSON.stringify(outcome.answer) : outcome.error ? `${outcome.error.kind}: ${outcome.error.message}` : outcome.reason;
  console.log(`\n${outcome.status}: ${how} (${outcome.steps} steps, ${outcome.usage.totalTokens} tokens)\nworkspace: ${root}`);
  if (outcome.status !== 'done') process.exitCode = 1;
  break;
}

/** Prints each step as it comes; the outcome, or undefined after saying why the run could not go on. */
async function drive(gen: AsyncGenerator<Step, LoopOutcome>): Promise<LoopOutcome | undefined> {
  for (;;) {
    let r: IteratorResult<Step, LoopOutcome>;
    try {
      r = await gen.next();
    } catch (err) {
      console.error(`Cannot continue: ${(err as Error).message}`);
      process.exitCode = 1;
      return undefined;
    }
    if (r.done) return r.value;
    console.log(r.value.pretty());
  }
}
