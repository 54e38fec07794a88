// The agent's tools and task. `publish` is the one with a side effect, so every call of it waits
// for a human. Nothing here knows about React, models or checkpoints.
import { ToolRegistry } from 'looplet';
import { publish } from './outbox.ts';

export const TASK = "Read the team's notes and publish a short weekly update.";

const NOTES = [
  'Ada: shipped the CSV importer.',
  'Grace: fixed the flaky login test.',
  'Linus: on holiday until Monday.',
];

export const tools = new ToolRegistry()
  .register({
    name: 'read_notes',
    description: "Read this week's notes from the team.",
    parameters: { type: 'object', properties: {} },
    execute: () => ({ notes: NOTES }),
  })
  .register({
    name: 'publish',
    description: 'Publish an update to the whole company. Cannot be undone.',
    parameters: {
      type: 'object',
      properties: { title: { type: 'string', minLength: 1 }, body: { type: 'string', minLength: 1 } },
      required: ['title', 'body'],
    },
    // The run pauses before every call of this tool until a human approves, rejects or edits it.
    needsApproval: true,
    execute: ({ title, body }) => ({ published: String(title), postsInOutbox: publish(String(title), String(body)) }),
  });
