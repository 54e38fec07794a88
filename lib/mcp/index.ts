// looplet/mcp: tools served by MCP servers, over fetch (see client.ts for the protocol).
export { mcpClient } from './client.ts';
export { McpError } from './errors.ts';
export type { McpErrorCode } from './errors.ts';
export type { McpCallOptions, McpCallResult, McpClient, McpClientOptions, McpProgress, McpToolInfo, McpToolOptions } from './types.ts';
