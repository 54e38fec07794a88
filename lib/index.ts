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
export { allow, deny, rewrite, respond, inject, stop, pause, isDecision, approve, reject, edit } from './hooks/decisions.ts';
export { ApprovalHook } from './hooks/approval.ts';
export type { ApprovalOptions } from './hooks/approval.ts';
export { PermissionHook } from './hooks/permission.ts';
export type { PermissionRule, PermissionOptions, PermissionAction } from './hooks/permission.ts';
export { CheckpointHook } from './hooks/checkpoint.ts';
export { resumeFrom } from './loop/resume.ts';
export { CheckpointError, CHECKPOINT_VERSION } from './loop/checkpoint.ts';
export type { CallRecord, BatchRecord, CallState, SkipReason, Hold } from './shapes.ts';
export { memoryStore } from './stores/memory.ts';
export { kvStore, cloudflareKV, denoKV } from './stores/kv.ts';
export type { KVLike, CloudflareKVNamespace, DenoKvLike } from './stores/kv.ts';
export type { CheckpointStore } from './stores/types.ts';
export type { Decision, Allow, Deny, Rewrite, Respond, Inject, Stop, Pause } from './hooks/decisions.ts';
export { MockLLMBackend } from './backends/mock.ts';
export type { MockResponse } from './backends/mock.ts';
export { OpenAIBackend } from './backends/openai/backend.ts';
export type { OpenAIBackendOptions } from './backends/openai/backend.ts';
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
export { estimateTokens } from './context/estimate.ts';
export type { Estimate } from './context/estimate.ts';
export { compactChain, pruneToolResults, summarize, truncate } from './context/strategies.ts';
export type { Strategy, CompactContext } from './context/strategies.ts';
export { ThresholdCompactHook, ContextPressureHook } from './context/hooks.ts';
export type { ThresholdCompactOptions } from './context/hooks.ts';
export type { CompactResult } from './loop/types.ts';
export { MetricsHook } from './hooks/metrics.ts';
export type { MetricsSummary, ToolMetrics } from './hooks/metrics.ts';
export { defineEval, evalRun, discoverEvals, assertEvals, EvalHook, traceView } from './evals/evals.ts';
export type { Eval, EvalFn, EvalResult, TraceView } from './evals/evals.ts';
export { ProvenanceSink, memoryWriter } from './trace/provenance.ts';
export type { ProvenanceWriter, ProvenanceOptions } from './trace/provenance.ts';
export { TracingHook, otlpHttpExporter } from './trace/otel.ts';
export type { SpanExporter, OtlpSpan, OtlpAttribute } from './trace/otel.ts';
