// The data-cleanup agent, runtime-agnostic: the Node example and the browser playground both
// run it. `save` needs a human's approval; where it writes is the caller's business.
import { ToolRegistry, type LLMBackend } from 'looplet';

export const RAW = 'id,name,email\n1,Ada,ada@example.com\n2,,grace@example.com\n2,,grace@example.com\n3,Linus,NULL\n';
export const TASK = 'Clean users.csv: load it, inspect it, clean it, then save it as users.clean.csv.';

// The working table lives in the run's state: it is part of every checkpoint, so a resumed
// process (or a reloaded page) has it too.
const table = (state: Record<string, unknown>) => (state.table ?? []) as string[][];

/** `write(path, csv)` persists the cleaned table and returns where it went. */
export function dataAgentTools(write: (path: string, csv: string) => Promise<string>): ToolRegistry {
  return new ToolRegistry()
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
      parameters: { type: 'object', properties: { path: { type: 'string', pattern: '^[\\w.-]+$' } }, required: ['path'] },
      execute: async ({ path }, ctx) => ({ written: await write(String(path), table(ctx.state).map((r) => r.join(',')).join('\n') + '\n') }),
    });
}

/**
 * A scripted model: a policy over what has been answered so far, so a resumed run continues
 * where it was. `delayMs` makes it feel like a model (and lets a UI show steps arriving).
 */
export function scriptedDataModel(delayMs = 0): LLMBackend {
  return {
    async generate(req, { signal }) {
      if (delayMs) await new Promise((ok) => setTimeout(ok, delayMs));
      signal.throwIfAborted();
      const done = new Set(req.messages.filter((m) => m.role === 'tool').map((m) => m.name));
      const next = ['load', 'inspect', 'clean', 'save'].find((t) => !done.has(t));
      const args: Record<string, Record<string, unknown>> = { load: { file: 'users.csv' }, save: { path: 'users.clean.csv' } };
      if (next) return { toolCalls: [{ id: `call-${next}`, name: next, arguments: args[next] ?? {} }], usage: { inputTokens: 200 + 60 * done.size, outputTokens: 20, totalTokens: 220 + 60 * done.size } };
      const saved = req.messages.filter((m) => m.role === 'tool' && m.name === 'save').at(-1)?.content ?? '';
      const answer = saved.startsWith('Denied') ? `Not saved. ${saved}` : `Cleaned and saved: ${saved}`;
      return { toolCalls: [{ id: 'call-done', name: 'done', arguments: { answer } }], usage: { inputTokens: 480, outputTokens: 30, totalTokens: 510 } };
    },
  };
}
