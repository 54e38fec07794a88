/** What went wrong talking to an MCP server. */
export type McpErrorCode =
  /** The server could not be reached (refused, DNS, offline). */
  | 'unreachable'
  /** An HTTP error without a JSON-RPC answer (an HTML error page, a proxy). */
  | 'http'
  /** The server's answer is not what MCP says: not JSON, no result for our request, a result for another id. */
  | 'protocol'
  /** The server answered with a JSON-RPC error (`rpcCode` says which). */
  | 'rpc'
  /** The server refused the token, even after `getToken()` was asked for a fresh one. */
  | 'auth'
  /** The session expired and could not be opened again. */
  | 'session'
  /** A browser cannot read the session id: the server's CORS headers do not expose `Mcp-Session-Id`. */
  | 'cors'
  /** No answer (or progress) within `timeoutMs`. */
  | 'timeout'
  | 'aborted'
  /** The tool ran and failed (`isError: true`): the model reads its message. */
  | 'tool';

/** A typed MCP failure. Its message never holds a token or a configured header's value. */
export class McpError extends Error {
  override readonly name = 'McpError';
  readonly code: McpErrorCode;
  readonly retriable: boolean;
  readonly status?: number;
  readonly rpcCode?: number;
  constructor(code: McpErrorCode, message: string, opts: { status?: number; rpcCode?: number; retriable?: boolean } = {}) {
    super(message);
    this.code = code;
    this.retriable = opts.retriable ?? ['unreachable', 'timeout', 'session'].includes(code);
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.rpcCode !== undefined) this.rpcCode = opts.rpcCode;
  }
}
