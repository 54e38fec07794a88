#!/usr/bin/env node
// The `looplet` command:
//   looplet eval <evals module> <trace.jsonl…>   scores saved traces, prints a table, exits 1 on any failure
//   looplet view <trace.jsonl> | --watch <url>   serves the devtools viewer on localhost for a trace file or a live stream
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverEvals, evalRun } from './evals/evals.ts';
import { view } from './view.node.ts';

const USAGE = `usage:
  looplet eval <evals.js|.ts> <trace.jsonl> [more traces…]
      (a .ts module needs a TypeScript loader, e.g. \`npx tsx node_modules/looplet/dist/cli.node.js eval …\`)
  looplet view <trace.jsonl> [--port N]      the devtools on a trace file
  looplet view --watch <url> [--port N]      the devtools on a live text/event-stream (toEventStream)`;

async function evaluate(evalsFile: string | undefined, traces: string[]): Promise<number> {
  if (!evalsFile || traces.length === 0) {
    console.error(USAGE);
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

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'eval') return evaluate(rest[0], rest.slice(1));
  if (cmd === 'view') return view(rest);
  console.error(USAGE);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
