// A scripted model: no key, no network. Its reply depends only on the conversation it is shown,
// so a run resumed after a reload (from the checkpoint's conversation) goes on exactly as before.
import type { LLMBackend, LLMResponse, Message } from 'looplet';

function reply(messages: readonly Message[]): LLMResponse {
  const id = `call-${messages.length}`; // the same conversation gives the same call ids
  const usage = { inputTokens: 60 * messages.length, outputTokens: 25, totalTokens: 60 * messages.length + 25 };
  const result = (tool: string) => messages.find((m) => m.role === 'tool' && m.name === tool)?.content;

  const published = result('publish');
  if (published !== undefined) {
    const answer = published.startsWith('Denied') ? `Nothing was published (${published}).` : 'The weekly update is published.';
    return { text: 'Done.', toolCalls: [{ id, name: 'done', arguments: { answer } }], usage };
  }
  const notes = result('read_notes');
  if (notes !== undefined) {
    const lines = (JSON.parse(notes) as { notes: string[] }).notes;
    const body = lines.map((l) => `- ${l}`).join('\n');
    return { text: 'Drafting the update.', toolCalls: [{ id, name: 'publish', arguments: { title: 'Weekly update', body } }], usage };
  }
  return { text: 'Let me read the notes first.', toolCalls: [{ id, name: 'read_notes', arguments: {} }], usage };
}

export function scriptedModel(delayMs = 300): LLMBackend {
  return {
    async generate(request, { signal }) {
      await new Promise((ok) => setTimeout(ok, delayMs)); // slow enough to watch the steps arrive
      signal.throwIfAborted();
      return reply(request.messages);
    },
  };
}
