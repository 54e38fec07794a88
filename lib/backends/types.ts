/** Token usage of one model reply, or a sum of them. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  costUsd?: number;
}

/** A tool call as the assistant sent it, kept in the conversation. */
export interface MessageToolCall {
  readonly id: string;
  readonly name: string;
  /** The raw JSON arguments, exactly as the model sent them (byte-stable for prompt caching). */
  readonly arguments: string;
}

export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** A provider-neutral message; each backend maps it to its own wire format. */
export interface Message {
  readonly role: Role;
  readonly content: string;
  /** On assistant messages: the tool calls of that reply. */
  readonly toolCalls?: readonly MessageToolCall[];
  /** On tool messages: the id of the call this answers. */
  readonly toolCallId?: string;
  /** On tool messages: the tool's name (some providers want it). */
  readonly name?: string;
  /** On assistant messages: what a provider needs sent back verbatim (e.g. signed thinking blocks), keyed by provider. */
  readonly providerData?: Readonly<Record<string, unknown>>;
}

/** JSON Schema, as plain JSON. */
export type JSONSchema = { readonly [key: string]: unknown };

/** What the model sees of a tool. */
export interface ToolSchema {
  readonly name: string;
  readonly description: string;
  readonly parameters: JSONSchema;
}

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
