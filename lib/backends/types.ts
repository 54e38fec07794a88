import type { Message, ToolSchema, Usage } from '../shapes.ts';

export type { JSONSchema, Message, MessageToolCall, Role, ToolOrigin, ToolSchema, Usage } from '../shapes.ts';

export interface LLMRequest {
  /** messages[0] is the user message carrying the task. */
  readonly messages: readonly Message[];
  /** Native tool schemas; empty in JSON-in-text mode (the tools are described in `system`). */
  readonly tools: readonly ToolSchema[];
  /** The system prompt: the config's, plus the tool-call instructions in JSON-in-text mode. */
  readonly system?: string;
  /** Whether the model may send several tool calls in one reply. */
  readonly parallelToolCalls?: boolean;
}

/** A tool call as a backend returns it. `arguments` is an object or a JSON string (as real APIs send it). */
export interface LLMToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown> | string;
}

export interface LLMResponse {
  text?: string;
  toolCalls?: LLMToolCall[];
  usage?: Usage;
  /** The provider's stop/finish reason, when it gives one. */
  finishReason?: string;
  /** The model's visible reasoning, when the provider streams or returns it. */
  reasoning?: string;
  /** Kept on the assistant message and sent back to the same provider next turn (see `Message.providerData`). */
  providerData?: Record<string, unknown>;
  /** The model that answered, as the provider named it. */
  model?: string;
}

/** A piece of a reply as it streams in. */
export interface LLMDelta {
  readonly text?: string;
  readonly reasoning?: string;
  /** For tool calls: which call (in reply order), and a piece of its arguments or its name. */
  readonly toolCallIndex?: number;
  readonly toolName?: string;
  /** With `toolName`: the call's id, when the provider sends it first (it may be empty). */
  readonly toolCallId?: string;
  readonly argumentsDelta?: string;
}

export interface GenerateOptions {
  signal: AbortSignal;
  /** Called with each piece of a streamed reply; backends that do not stream never call it. */
  onDelta?: (delta: LLMDelta) => void;
}

/** Anything that can answer a prompt. */
export interface LLMBackend {
  generate(request: LLMRequest, options: GenerateOptions): Promise<LLMResponse>;
}
