// looplet/ui: a run as the streams chat UIs already read — the AI SDK's UI message stream
// (`useChat`) and AG-UI — and their users' approvals back as decisions.
export { toUIMessageStream, uiMessageStreamResponse, decisionsFromUIMessages, lastUserText } from './ai-sdk.ts';
export type { UIMessageChunk, UIStreamOptions, UIMessageLike, ApprovalDescriptor } from './ai-sdk.ts';
export { toAGUIStream, agUIResponse, decisionsFromAGUI } from './ag-ui.ts';
export type { AGUIEvent, AGUIInterrupt, AGUIStreamOptions, ResumeEntryLike } from './ag-ui.ts';
export type { StartRun } from '../trace/stream.ts';
