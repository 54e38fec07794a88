// The Worker's bindings (wrangler.toml), secrets (`wrangler secret put`) and test knobs.
import type { RunObject } from './run-object.ts';

export interface Env {
  /** One Durable Object per run (a multi-turn chat). */
  RUNS: DurableObjectNamespace<RunObject>;
  /** Signs every pending approval; a decision without its signature runs nothing. Required. */
  APPROVAL_SECRET?: string;
  /** When set, POST /runs/:id/decisions takes `authorization: Bearer <it>`: who may approve, apart from who may chat. */
  APPROVER_TOKEN?: string;
  /** With a key: OpenAIBackend. Without: the scripted model (no key needed). */
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  OPENAI_MODEL?: string;
  /** An MCP server whose tools the agent gets too (prefixed `mcp_`), and its bearer token. */
  MCP_URL?: string;
  MCP_TOKEN?: string;
  /** `access-control-allow-origin` for browsers (the devtools watching `/events`). */
  ALLOW_ORIGIN?: string;
  /** How often a running turn's alarm fires (ms, default 5000): it resumes a turn the object lost. */
  ALARM_MS?: string;
  /** Test knobs: make the scripted model or the refund slow, to stop the object mid-turn. */
  SCRIPTED_DELAY_MS?: string;
  REFUND_DELAY_MS?: string;
}
