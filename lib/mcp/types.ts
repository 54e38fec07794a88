// The shapes looplet/mcp works with: options, the client, what a server lists and answers.
import type { JSONSchema } from '../backends/types.ts';
import type { ToolSpec } from '../tools/types.ts';

/** A tool as the server lists it. */
export interface McpToolInfo {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema?: JSONSchema;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

export interface McpToolOptions {
  /** Tool names become `<prefix>_<name>` (the server still gets its own name). */
  readonly prefix?: string;
  /** Which tools are exposed: their server names, or a predicate. */
  readonly filter?: readonly string[] | ((tool: McpToolInfo) => boolean);
  /** Pause before every call of these tools (all with `true`), whatever hooks are installed. */
  readonly needsApproval?: boolean | readonly string[] | ((tool: McpToolInfo) => boolean);
  /** Results longer than this many characters are cut, with a note saying so (default 20,000). */
  readonly maxResultChars?: number;
}

export interface McpClientOptions extends McpToolOptions {
  /** The server's MCP endpoint (e.g. `https://example.com/mcp`). */
  readonly url: string | URL;
  /** Sent with every request (an API key header, say). Never written to a trace, checkpoint or error. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A bearer token, asked for before each request and again once after a 401. Never written anywhere. */
  readonly getToken?: () => string | Promise<string>;
  readonly fetch?: typeof fetch;
  /** A request's time limit, restarted by each progress notification (default 60 s). */
  readonly timeoutMs?: number;
  /** The server's name in traces and errors (default: the URL's host). */
  readonly name?: string;
  /** Legacy era: keep the server's standalone stream open to hear that its tools changed (default: when it says it sends that). */
  readonly listen?: boolean;
  /** Which era to speak: `auto` (default) tries the current one, then `initialize`. */
  readonly protocol?: 'auto' | 'current' | 'legacy';
}

export interface McpProgress {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

export interface McpCallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: McpProgress) => void;
  /** The answers to an `input_required` result, by its keys (current era). */
  readonly inputResponses?: Readonly<Record<string, unknown>>;
  readonly requestState?: string;
}

/** A `tools/call` result as the server sent it. */
export interface McpCallResult {
  readonly resultType?: string;
  readonly content?: readonly Record<string, unknown>[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  readonly inputRequests?: Readonly<Record<string, { readonly method: string; readonly params?: Record<string, unknown> }>>;
  readonly requestState?: string;
}

export interface McpClient {
  /** The server's name in traces and errors. */
  readonly name: string;
  /** `current` or `legacy` once known. */
  readonly protocol: 'current' | 'legacy' | undefined;
  /** The server's tools as looplet tool specs (prefixed, filtered), ready for `ToolRegistry.register` or `tools`. */
  listTools(options?: { signal?: AbortSignal }): Promise<ToolSpec[]>;
  /** The server's tools as it lists them (every page; cached until they change or their TTL passes). */
  serverTools(options?: { signal?: AbortSignal }): Promise<McpToolInfo[]>;
  callTool(name: string, args: Record<string, unknown>, options?: McpCallOptions): Promise<McpCallResult>;
  /** Ends the session on the server (legacy `DELETE`) and closes every open stream. */
  close(): Promise<void>;
}
