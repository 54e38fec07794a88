#!/usr/bin/env node
// `looplet eval <evals module> <trace.jsonl…>`: scores saved traces, prints a table, exits 1 on any failure.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverEvals, evalRun } from './evals/evals.ts';

async function main(argv: string[]): Promise<number> {
  const [cmd, evalsFile, ...traces] = argv;
  if (cmd !== 'eval' || !evalsFile || traces.length === 0) {
    console.error('usage: looplet eval <evals.js|.ts> <trace.jsonl> [more traces…]\n(a .ts module needs a TypeScript loader, e.g. `npx tsx node_modules/looplet/dist/cli.node.js eval …`)');
    return 2;
  }
  const mod = (await import(pathToFileURL(resolve(evalsFile)).href)) as Record<string, unknown>;
  const evals = discoverEvals(mod);
  if (evals.length === 0) {
    console.error(`${evalsFile}: no evals found (export defineEval(...) values or functions named eval*)`);
    return 2;
  }
  const texts = await Promise.all(traces.map((t) => readFile(t, 'utf8')));
  const results = await evalRun(evals, texts);
  let failed = 0;
  results.forEach((rs, i) => {
    console.log(traces[i]);
    for (const r of rs) {
      if (!r.passed) failed++;
      console.log(`  ${r.passed ? '✓' : '✗'} ${r.name.padEnd(32)} ${r.score.toFixed(2)}${r.reason ? `  ${r.reason}` : ''}`);
    }
  });
  const total = results.reduce((n, rs) => n + rs.length, 0);
  console.log(`${total - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
