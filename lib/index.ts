export { composableLoop } from './loop/compose.ts';
export { collect } from './loop/collect.ts';
export { Step } from './loop/step.ts';
export type { StepJSON, StepStatus, StepToolCall, StepToolResult, StepTiming } from './loop/step.ts';
export type {
  Task, LoopConfig, ResolvedConfig, LoopOptions, LoopOutcome, LoopStatus, Hook, HookContext,
  ToolCall, ToolResult, Checkpoint, ResumeDecision, PendingCall,
} from './loop/types.ts';
export { ToolRegistry } from './tools/registry.ts';
export { doneTool } from './tools/done.ts';
export type { ToolSpec, ToolContext, ToolArgs, RegisteredTool, ArgIssue, ValidationResult } from './tools/types.ts';
export type { StandardSchemaV1 } from './tools/standard-schema.ts';
export { compileSchema, validateSchema } from './tools/json-schema.ts';
export type { SchemaIssue, Validator } from './tools/json-schema.ts';
export { allow, deny, rewrite, respond, inject, stop, pause, isDecision, approve, reject, edit } from './hooks/decisions.ts';
export { ApprovalHook } from './hooks/approval.ts';
export type { ApprovalOptions } from './hooks/approval.ts';
export { PermissionHook } from './hooks/permission.ts';
export type { PermissionRule, PermissionOptions, PermissionAction } from './hooks/permission.ts';
export { CheckpointHook } from './hooks/checkpoint.ts';
export { resumeFrom } from './loop/resume.ts';
export { CheckpointError, CHECKPOINT_VERSION, readCheckpoint } from './loop/checkpoint.ts';
export type { CallState, BatchState } from './loop/checkpoint.ts';
export { memoryStore } from './stores/memory.ts';
export { kvStore, cloudflareKV, denoKV } from './stores/kv.ts';
export type { KVLike, CloudflareKVNamespace, DenoKvLike } from './stores/kv.ts';
export type { CheckpointStore } from './stores/types.ts';
export type { Decision, Allow, Deny, Rewrite, Respond, Inject, Stop, Pause } from './hooks/decisions.ts';
export { MockLLMBackend } from './backends/mock.ts';
export type { MockResponse } from './backends/mock.ts';
export { OpenAIBackend } from './backends/openai.ts';
export type { OpenAIBackendOptions } from './backends/openai.ts';
export { AnthropicBackend } from './backends/anthropic.ts';
export type { AnthropicBackendOptions } from './backends/anthropic.ts';
export type { HttpOptions } from './backends/http.ts';
export type { Price, Prices } from './backends/cost.ts';
export type {
  LLMDelta, LLMBackend, LLMRequest, LLMResponse, LLMToolCall, GenerateOptions, Message, MessageToolCall, Role, ToolSchema, JSONSchema, Usage,
} from './backends/types.ts';
export { LLMError, LoopletError } from './errors.ts';
export type { ToolError, ToolErrorKind, LLMErrorKind, OutcomeError, OutcomeErrorKind } from './errors.ts';
export { toJSONL, parseJSONL, readJSONL, TraceParseError, TRACE_VERSION } from './trace/index.ts';
export { devtoolsBridge, toEventStream } from './trace/bridge.ts';
export type { BridgeOptions, BridgeMessage } from './trace/bridge.ts';
export type { LoopEvent, LoopEventType, EventOf } from './trace/index.ts';
