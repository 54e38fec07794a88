#!/usr/bin/env node
// The `looplet` command:
//   looplet eval <evals module> <trace.jsonl…>   scores saved traces, prints a table, exits 1 on any failure
//   looplet view <trace.jsonl> | --watch <url>   serves the devtools viewer on localhost for a trace file or a live stream
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverEvals, evalRun } from './evals/evals.ts';
import { view } from './view.node.ts';

const USAGE = `usage:
  looplet eval <evals.js|.ts> <trace.jsonl> [more traces…]
      (a .ts module runs where Node strips types itself, 22.6 and later, or through tsx when
       the project has it installed; elsewhere compile it to .js first)
  looplet view <trace.jsonl> [--port N]      the devtools on a trace file
  looplet view --watch <url> [--port N]      the devtools on a live text/event-stream (toEventStream)`;

async function evaluate(evalsFile: string | undefined, traces: string[]): Promise<number> {
  if (!evalsFile || traces.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const mod = await importEvals(evalsFile);
  if (typeof mod === 'number') return mod;
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

const TS_MODULE = /\.[cm]?tsx?$/;
// Node with type stripping off by default (22.6 to 22.17, 23.0 to 23.5) still has the flag.
const STRIP_FLAG = '--experimental-strip-types';

/**
 * The evals module, or an exit code when it cannot load. A .ts module loads where Node strips
 * types (by default since 22.18 and 23.6; under tsx, too); where Node has the flag but not the
 * default, the command runs again with it; on older Node, a hint instead of a stack trace.
 */
async function importEvals(file: string): Promise<Record<string, unknown> | number> {
  if (!existsSync(resolve(file))) {
    console.error(`looplet eval: ${file}: no such file`);
    return 2;
  }
  try {
    return (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const ts = TS_MODULE.test(file);
    if (!ts || (code !== 'ERR_UNKNOWN_FILE_EXTENSION' && code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' && code !== 'ERR_INVALID_TYPESCRIPT_SYNTAX')) throw err;
    const strippable = /\.[cm]?ts$/.test(file) && code === 'ERR_UNKNOWN_FILE_EXTENSION';
    if (strippable && process.allowedNodeEnvironmentFlags.has(STRIP_FLAG) && !process.execArgv.includes(STRIP_FLAG)) return again([STRIP_FLAG, '--disable-warning=ExperimentalWarning']);
    const viaTsx = await tsxImport(file);
    if (viaTsx) return viaTsx;
    const why = code === 'ERR_UNKNOWN_FILE_EXTENSION'
      ? `Node ${process.versions.node} cannot load ${/x$/.test(file) ? 'a .tsx module' : 'TypeScript'} by itself`
      : `Node's type stripping cannot load it (${String((err as Error).message).split('\n')[0]})`;
    console.error(`looplet eval: ${file}: ${why}.\nRun it with \`npx tsx node_modules/.bin/looplet eval ${file} …\`, or compile it to .js first.`);
    return 2;
  }
}

// A variable, so the bundler leaves it for Node to resolve from where looplet is installed.
const TSX_API = 'tsx/esm/api';

/** The module loaded through tsx when the project has it installed (Node 20 has no type stripping). */
async function tsxImport(file: string): Promise<Record<string, unknown> | undefined> {
  let api: { tsImport(url: string, parent: string): Promise<Record<string, unknown>> };
  try {
    api = (await import(TSX_API)) as typeof api;
  } catch {
    return undefined; // not installed: the hint says what to do
  }
  return api.tsImport(pathToFileURL(resolve(file)).href, import.meta.url);
}

/** This command again, in a Node started with `flags`; resolves with its exit code. */
function again(flags: string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...process.execArgv, ...flags, process.argv[1]!, ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('error', (err) => { console.error(`looplet eval: ${err.message}`); done(2); });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'eval') return evaluate(rest[0], rest.slice(1));
  if (cmd === 'view') return view(rest);
  console.error(USAGE);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
