import type { ToolSpec } from './types.ts';

export const DONE = 'done';

/** The tool whose call ends the run: `done({ answer })` → outcome `{ status: 'done', answer }`. */
export function doneTool(description = 'Finish the task. Call this once, when the task is complete, with your final answer.'): ToolSpec {
  return {
    name: DONE,
    description,
    parameters: {
      type: 'object',
      properties: { answer: { description: 'The final answer: any JSON value.' } },
    },
    execute: (args) => ({ answer: args.answer }),
  };
}

export const AUTO_DONE_DESCRIPTION =
  'Finish the task. Call this once, when the task is complete, with your final answer. (Always available: added by looplet.)';
