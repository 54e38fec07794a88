// One message: its text, and each tool call with its state; a call waiting for approval gets
// Approve / Deny buttons. Everything the model or a tool wrote is rendered as text.
import { getToolName, isToolUIPart, type UIMessage } from 'ai';
import { useState } from 'react';

type OnApproval = (approvalId: string, approved: boolean, reason?: string) => void;

export function Message({ message, onApproval }: { message: UIMessage; onApproval: OnApproval }) {
  return (
    <section data-role={message.role} style={{ margin: '1rem 0', padding: '.5rem 1rem', background: message.role === 'user' ? '#eef' : '#f6f6f6' }}>
      <strong>{message.role === 'user' ? 'You' : 'Agent'}</strong>
      {message.parts.map((part, i) => {
        if (part.type === 'text') return <p key={i}>{part.text}</p>;
        if (isToolUIPart(part)) return <ToolCall key={part.toolCallId} part={part} onApproval={onApproval} />;
        return null;
      })}
    </section>
  );
}

function ToolCall({ part, onApproval }: { part: Extract<UIMessage['parts'][number], { toolCallId: string }>; onApproval: OnApproval }) {
  const [reason, setReason] = useState('');
  const name = getToolName(part);
  return (
    <div data-testid={`tool-${name}`} data-state={part.state} style={{ border: '1px solid #ccc', padding: '.4rem', margin: '.4rem 0' }}>
      <code>{name}({JSON.stringify(part.input ?? {})})</code> <em>{part.state}</em>
      {part.state === 'output-available' && <pre>{JSON.stringify(part.output)}</pre>}
      {part.state === 'output-error' && <pre>{part.errorText}</pre>}
      {part.state === 'approval-requested' && (
        <div>
          <button onClick={() => onApproval(part.approval.id, true)}>Approve</button>{' '}
          <input aria-label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="reason (optional)" />{' '}
          <button onClick={() => onApproval(part.approval.id, false, reason)}>Deny</button>
        </div>
      )}
    </div>
  );
}
