// The data-cleanup agent: load → inspect → clean → save, where `save` needs a human's approval.
// Checkpoints go to files, so the run survives the process:
//
//   npm run example:data                          # runs until `save` pauses for approval
//   npm run example:data -- --resume --approve    # another process approves and finishes it
//   npm run example:data -- --resume --reject "keep the nulls"
//
// With OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL set it uses that model; otherwise a scripted one.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApprovalHook, approve, CheckpointHook, composableLoop, OpenAIBackend, reject, resumeFrom, type LLMBackend, type LoopOutcome, type Step } from 'looplet';
import { fileStore } from 'looplet/file-store';
import { dataAgentTools, scriptedDataModel, TASK } from './agent.ts';

const dir = join(tmpdir(), 'looplet-data-agent');
const store = fileStore(join(dir, 'checkpoints'));
const RUN = 'data-cleanup';

const tools = dataAgentTools(async (path, csv) => {
  await mkdir(dir, { recursive: true });
  const file = join(dir, path);
  await writeFile(file, csv);
  return file;
});
const scripted = scriptedDataModel();
const env = process.env;
const llm: LLMBackend = env.OPENAI_BASE_URL || env.OPENAI_API_KEY
  ? new OpenAIBackend({ baseURL: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL ?? 'gpt-4o-mini' })
  : scripted;

const hooks = [new ApprovalHook(), new CheckpointHook({ store, runId: RUN })];
const argv = process.argv.slice(2);
let run: AsyncGenerator<Step, LoopOutcome>;
if (argv.includes('--resume')) {
  const saved = await store.get(RUN);
  const pending = saved?.pending ?? [];
  const i = argv.indexOf('--reject');
  const decision = i >= 0 ? reject(argv[i + 1] ?? 'rejected') : argv.includes('--approve') ? approve() : undefined;
  const decisions = decision ? Object.fromEntries(pending.map((p) => [p.id, decision])) : {};
  run = resumeFrom(store, RUN, { llm, tools, hooks, decisions });
} else {
  run = composableLoop({ llm, tools, task: TASK, hooks });
}

for (;;) {
  let r: IteratorResult<Step, LoopOutcome>;
  try {
    r = await run.next();
  } catch (err) {
    console.error(`Cannot continue: ${(err as Error).message}`);
    process.exitCode = 1;
    break;
  }
  if (!r.done) { console.log(r.value.pretty()); continue; }
  const o = r.value;
  if (o.status === 'paused') {
    for (const p of o.pending ?? []) console.log(`\n⏸  ${p.call.name}(${JSON.stringify(p.call.args)}) — ${p.reason}`);
    console.log(`\nCheckpoint saved in ${dir}/checkpoints. Continue with:\n  npm run example:data -- --resume --approve\n  npm run example:data -- --resume --reject "why"`);
  } else {
    console.log(`\n${o.status}: ${JSON.stringify(o.answer ?? o.reason)} (${o.steps} steps)`);
  }
  break;
}
