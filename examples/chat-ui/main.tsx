// A chat page made with the AI SDK's useChat and nothing from looplet: the server streams a
// looplet run as the UI message stream, and approvals go back with addToolApprovalResponse.
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses, type UIMessage } from 'ai';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Message } from './Message.tsx';

// One chat per tab URL (?chat=…), so a reload opens the same chat.
const url = new URL(location.href);
const chatId = url.searchParams.get('chat') ?? crypto.randomUUID();
if (!url.searchParams.has('chat')) history.replaceState(null, '', `?chat=${chatId}`);

function Chat({ initial }: { initial: UIMessage[] }) {
  const { messages, sendMessage, addToolApprovalResponse, status, error } = useChat({
    id: chatId,
    messages: initial,
    transport: new DefaultChatTransport({ api: '/api/chat' }),
    // Once every pending call has an answer, the approvals go to the server, which resumes the run.
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
  });
  const [input, setInput] = useState('');
  const busy = status === 'submitted' || status === 'streaming';
  return (
    <main style={{ maxWidth: 720, margin: '2rem auto', font: '15px system-ui' }}>
      <h1 style={{ fontSize: 20 }}>Support chat</h1>
      {messages.map((m) => <Message key={m.id} message={m} onApproval={(id, approved, reason) => void addToolApprovalResponse({ id, approved, ...(reason ? { reason } : {}) })} />)}
      {error && <p role="alert" style={{ color: '#b00' }}>{error.message}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!input.trim() || busy) return;
          void sendMessage({ text: input });
          setInput('');
        }}
      >
        <input aria-label="Message" value={input} onChange={(e) => setInput(e.target.value)} placeholder="Refund order A1" style={{ width: '80%' }} />
        <button type="submit" disabled={busy}>Send</button>
      </form>
      <p aria-label="Status" style={{ color: '#666' }}>{status}</p>
    </main>
  );
}

// The server keeps each chat's messages: after a reload the page shows where the chat stands,
// a pending approval included.
const { messages } = (await (await fetch(`/api/chats/${chatId}`)).json()) as { messages: UIMessage[] };
createRoot(document.getElementById('root')!).render(<Chat initial={messages} />);
