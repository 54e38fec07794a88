// looplet/evals: scoring runs, and replaying a recorded one. `replay` is only here: it loads the
// JSON-in-text parser, which the main entry keeps out of apps that do not use it.
export { defineEval, evalRun, discoverEvals, assertEvals, EvalHook, traceView, isEval } from './evals.ts';
export type { Eval, EvalFn, EvalResult, TraceView } from './evals.ts';
export { replay } from './replay.ts';
export type { ReplayResult, Divergence } from './replay.ts';
