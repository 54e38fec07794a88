export { conversation, ConversationError } from './conversation.ts';
export type { Conversation, SendOptions, Turn } from './conversation.ts';
