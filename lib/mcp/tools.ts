// An MCP server's tools as looplet tools: the server's JSON Schema as parameters (the loop
// validates before calling), results mapped to what a model reads, `isError` as a tool error,
// and a server that asks the user mid-call (`input_required`) as a pause of the call.
import type { JSONSchema } from '../backends/types.ts';
import type { ToolContext, ToolSpec } from '../tools/types.ts';
import type { McpCallResult, McpClient, McpToolInfo, McpToolOptions } from './types.ts';
import { McpError } from './errors.ts';

/** What a call paused on `input_required` keeps for its retry (in the checkpoint; no secret in it). */
interface Asked {
  readonly mcp: { readonly keys: readonly string[]; readonly requestState?: string };
}

const ROUNDS = 8;

export function mcpToolSpecs(client: McpClient, infos: readonly McpToolInfo[], o: McpToolOptions, stale: () => boolean): ToolSpec[] {
  const pick = o.filter;
  const wanted = infos.filter((t) => (typeof pick === 'function' ? pick(t) : pick ? pick.includes(t.name) : true));
  const ask = o.needsApproval;
  return wanted.map((t): ToolSpec => ({
    name: toolName(o.prefix ? `${o.prefix}_${t.name}` : t.name),
    description: t.description ?? t.title ?? t.name,
    parameters: { type: 'object', ...t.inputSchema },
    origin: { kind: 'mcp', server: client.name, tool: t.name },
    ...((typeof ask === 'function' ? ask(t) : Array.isArray(ask) ? ask.includes(t.name) : ask === true) ? { needsApproval: true } : {}),
    execute: (args, ctx) => call(client, t.name, args, ctx, o.maxResultChars ?? 20_000, stale),
  }));
}

/** A provider-safe tool name (letters, digits, `_`, `-`; at most 64). */
const toolName = (n: string): string => n.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'tool';

async function call(client: McpClient, tool: string, args: Record<string, unknown>, ctx: ToolContext, max: number, stale: () => boolean): Promise<unknown> {
  // the list changed (or its TTL passed) since the run started: check the tool is still offered
  if (stale() && !(await client.serverTools({ signal: ctx.signal })).some((t) => t.name === tool)) {
    throw new McpError('tool', `MCP server ${client.name} no longer offers "${tool}" (its tool list changed).`, { retriable: false });
  }
  let answers = answersOf(ctx);
  for (let round = 0; round < ROUNDS; round++) {
    const r = await client.callTool(tool, args, { signal: ctx.signal, ...answers });
    if (r.resultType === 'input_required') {
      const asked = r.inputRequests ?? {};
      const keys = Object.keys(asked);
      const state = r.requestState !== undefined ? { requestState: r.requestState } : {};
      if (keys.length === 0) { answers = state; continue; } // nothing to ask: retry now
      const forms = keys.map((k) => asked[k]!);
      const odd = forms.find((f) => f.method !== 'elicitation/create' || (f.params?.mode ?? 'form') !== 'form');
      if (odd) throw new McpError('protocol', `MCP server ${client.name} asked for ${odd.method}, which looplet does not answer.`, { retriable: false });
      const schemas = forms.map((f) => (f.params?.requestedSchema ?? { type: 'object' }) as JSONSchema);
      const schema = keys.length === 1 ? schemas[0]! : { type: 'object', properties: Object.fromEntries(keys.map((k, i) => [k, schemas[i]])), required: keys };
      const question = forms.map((f) => String(f.params?.message ?? '')).filter(Boolean).join('\n') || `${tool} needs your input`;
      return ctx.pause(`${client.name} asks: ${question}`, { mcp: { keys, ...state } } satisfies Asked, { schema });
    }
    if (r.resultType !== undefined && r.resultType !== 'complete') throw new McpError('protocol', `MCP server ${client.name} answered with resultType "${String(r.resultType)}".`);
    return resultOf(client.name, r, max);
  }
  throw new McpError('protocol', `MCP server ${client.name} asked for input more than ${ROUNDS} times in one call.`, { retriable: false });
}

/** The human's answer to an `input_required` pause, as the retry sends it. */
function answersOf(ctx: ToolContext): { inputResponses?: Record<string, unknown>; requestState?: string } {
  const r = ctx.resumed;
  const asked = (r?.data as Asked | undefined)?.mcp;
  if (!r || !asked) return {};
  const reply = (content: unknown) => (r.kind === 'reject' ? { action: 'decline' } : { action: 'accept', content: content ?? {} });
  const one = asked.keys.length === 1;
  const inputResponses = Object.fromEntries(asked.keys.map((k) => [k, reply(one ? r.args : (r.args as Record<string, unknown> | undefined)?.[k])]));
  return { inputResponses, ...(asked.requestState !== undefined ? { requestState: asked.requestState } : {}) };
}

/** What the model reads: structured content as it is, else the content blocks as text; an error result thrown. */
export function resultOf(server: string, r: McpCallResult, max: number): unknown {
  const text = (r.content ?? []).map(block).filter(Boolean).join('\n');
  if (r.isError) throw new McpError('tool', cut(text || `${server} reported an error without a message.`, max), { retriable: false });
  if (r.structuredContent !== undefined) {
    const json = JSON.stringify(r.structuredContent);
    return json.length > max ? cut(json, max) : r.structuredContent;
  }
  return cut(text, max);
}

function block(b: Record<string, unknown>): string {
  const size = (data: unknown) => (typeof data === 'string' ? `, ${Math.round((data.length * 3) / 4 / 1024)} kB` : '');
  switch (b.type) {
    case 'text': return String(b.text ?? '');
    case 'image':
    case 'audio': return `[${String(b.type)}: ${String(b.mimeType ?? 'unknown type')}${size(b.data)}]`;
    case 'resource': {
      const res = (b.resource ?? {}) as Record<string, unknown>;
      return typeof res.text === 'string' ? `[resource ${String(res.uri)}]\n${res.text}` : `[resource ${String(res.uri)}: ${String(res.mimeType ?? 'binary')}${size(res.blob)}]`;
    }
    case 'resource_link': return `[link: ${String(b.name ?? b.uri)} <${String(b.uri)}>${b.description ? ` ${String(b.description)}` : ''}]`;
    default: return `[${String(b.type)} content]`;
  }
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n[… cut: ${max} of ${text.length} characters shown (maxResultChars)]` : text;
}
