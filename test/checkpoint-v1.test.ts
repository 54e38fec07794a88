// Checkpoints written by the release whose format was version 1 (test/fixtures/checkpoints-v1,
// made by generate.ts there): each is read, migrated, and resumed exactly as that release
// resumed it — the same steps, outcome, prompts and tool runs.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collect, composableLoop, type Checkpoint } from '../lib/index.ts';
import { readCheckpoint } from '../lib/loop/read-checkpoint.ts';
import { model, resumes, scenarios, tools } from './fixtures/checkpoints-v1/agent.ts';
import { summary } from './fixtures/checkpoints-v1/summary.ts';

const dir = new URL('./fixtures/checkpoints-v1/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
const load = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as { checkpoint: Checkpoint; results: ReturnType<typeof summary>[] };

describe('version 1 checkpoints', () => {
  it('has a fixture for every scenario', () => {
    expect(fixtures.sort()).toEqual(Object.keys(scenarios).sort());
  });

  it.each(fixtures.filter((f) => resumes[f]))('%s resumes as it did when it was written', async (name) => {
    const { checkpoint, results } = load(name);
    const s = scenarios[name]!;
    const cases = resumes[name]!;
    expect(results).toHaveLength(cases.length);
    for (const [i, r] of cases.entries()) {
      const { reg, runs } = tools();
      const llm = model(s.plan);
      const out = await collect(composableLoop({ llm, tools: reg, hooks: s.hooks(), resume: structuredClone(checkpoint), decisions: r.decisions, config: r.config }));
      expect({ case: i, ...summary(out, llm.requests, runs) }).toEqual({ case: i, ...results[i] });
    }
  });

  it('a run that ended done is still refused', async () => {
    const { checkpoint } = load('done');
    const s = scenarios.done!;
    await expect(collect(composableLoop({ llm: model(s.plan), tools: tools().reg, resume: checkpoint }))).rejects.toThrow(/already ended done/);
  });

  it('readCheckpoint reads every fixture', () => {
    for (const name of fixtures) expect(readCheckpoint(load(name).checkpoint)).toMatchObject({ v: 2, runId: `v1-${name}` });
  });
});
