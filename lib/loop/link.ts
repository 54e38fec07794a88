// What a tool that runs other runs (a subagent) gets from the run it is part of: its progress
// kept in this run's checkpoint, the other run's events passed to this run's listeners, its usage
// counted. Loaded only when a tool asks for it (`await ctx.link()`).
import type { CallRecord } from '../shapes.ts';
import type { ToolLink } from '../tools/types.ts';
import type { Run } from './run/run.ts';
import { addUsage, zeroUsage } from './usage.ts';

export function link(run: Run, call: CallRecord): ToolLink {
  return {
    saved: call.progress,
    async save(progress) {
      call.progress = progress;
      await run.hooks.save();
    },
    async emit(event) {
      await run.events.forward(event);
    },
    addUsage(usage) {
      const total = run.state.usage;
      addUsage(total, usage);
      addUsage((total.subagents ??= zeroUsage()), usage);
    },
    hookErrors: run.env.config.hookErrors,
  };
}
