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
import { ApprovalHook, approve, CheckpointHook, composableLoop, OpenAIBackend, reject, resumeFrom, ToolRegistry, type LLMBackend, type LoopOutcome, type Step } from 'looplet';
import { fileStore } from 'looplet/file-store';

const RAW = 'id,name,email\n1,Ada,ada@example.com\n2,,grace@example.com\n2,,grace@example.com\n3,Linus,NULL\n';
const dir = join(tmpdir(), 'looplet-data-agent');
const store = fileStore(join(dir, 'checkpoints'));
const RUN = 'data-cleanup';

// The working table lives in the run's state: it is part of every checkpoint, so a resumed
// process has it too.
const table = (state: Record<string, unknown>) => (state.table ?? []) as string[][];
const tools = new ToolRegistry()
  .register({
    name: 'load', description: 'Load the CSV file into the working table.',
    parameters: { type: 'object', properties: { file: { type: 'string' } }, required: ['file'] },
    execute: (_args, ctx) => {
      ctx.state.table = RAW.trim().split('\n').map((l) => l.split(','));
      return { rows: table(ctx.state).length - 1, columns: table(ctx.state)[0] };
    },
  })
  .register({
    name: 'inspect', description: 'Count empty cells, NULLs and duplicate rows.', parameters: { type: 'object', properties: {} },
    execute: (_args, ctx) => {
      const body = table(ctx.state).slice(1);
      return { empty: body.flat().filter((c) => c === '').length, nulls: body.flat().filter((c) => c === 'NULL').length, duplicates: body.length - new Set(body.map((r) => r.join(','))).size };
    },
  })
  .register({
    name: 'clean', description: 'Drop duplicate rows and replace empty cells and NULLs with "unknown".', parameters: { type: 'object', properties: {} },
    execute: (_args, ctx) => {
      const [head, ...body] = table(ctx.state);
      const seen = new Set<string>();
      const kept = body.filter((r) => !seen.has(r.join(',')) && seen.add(r.join(',')));
      ctx.state.table = [head ?? [], ...kept.map((r) => r.map((c) => (c === '' || c === 'NULL' ? 'unknown' : c)))];
      return { rows: kept.length };
    },
  })
  .register({
    name: 'save', description: 'Write the cleaned table to a file.', needsApproval: true,
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    execute: async ({ path }, ctx) => {
      await mkdir(dir, { recursive: true });
      const file = join(dir, String(path));
      await writeFile(file, table(ctx.state).map((r) => r.join(',')).join('\n') + '\n');
      return { written: file };
    },
  });

// Scripted: a policy over what has been answered so far, so a resumed process continues it.
const scripted: LLMBackend = {
  async generate(req) {
    const done = new Set(req.messages.filter((m) => m.role === 'tool').map((m) => m.name));
    const next = ['load', 'inspect', 'clean', 'save'].find((t) => !done.has(t));
    const args: Record<string, Record<string, unknown>> = { load: { file: 'users.csv' }, save: { path: 'users.clean.csv' } };
    if (next) return { toolCalls: [{ id: `call-${next}`, name: next, arguments: args[next] ?? {} }] };
    const saved = req.messages.filter((m) => m.role === 'tool' && m.name === 'save').at(-1)?.content ?? '';
    return { toolCalls: [{ id: 'call-done', name: 'done', arguments: { answer: saved.startsWith('Denied') ? `Not saved: ${saved}` : `Cleaned and saved: ${saved}` } }] };
  },
};
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
  run = composableLoop({ llm, tools, task: 'Clean users.csv: load it, inspect it, clean it, then save it as users.clean.csv.', hooks });
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
