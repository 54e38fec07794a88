import { createContext, useContext, useState, type ReactNode } from 'react';
import type { Message } from 'looplet';
import { promptAt, stepAt, type RunView, type StepDecision, type StepRow } from './model.ts';
import { PromptDiff } from './PromptDiff.tsx';
import { ms, show, tokens, visible } from './text.ts';

export type DetailTab = 'prompt' | 'diff' | 'reply' | 'call' | 'result' | 'hooks';

/** The words being searched for: marked wherever the detail shows them. */
export const Highlight = createContext<readonly string[]>([]);

/** `text` with every occurrence of the search words marked (as text: nothing is parsed). */
function marked(text: string, words: readonly string[]): ReactNode {
  const terms = words.filter((w) => w.length > 0);
  if (terms.length === 0) return text;
  const lower = text.toLowerCase();
  const parts: ReactNode[] = [];
  let at = 0;
  for (;;) {
    let next = -1, len = 0;
    for (const t of terms) {
      const i = lower.indexOf(t.toLowerCase(), at);
      if (i >= 0 && (next < 0 || i < next)) { next = i; len = t.length; }
    }
    if (next < 0 || parts.length > 2000) break;
    if (next > at) parts.push(text.slice(at, next));
    parts.push(<mark key={parts.length}>{text.slice(next, next + len)}</mark>);
    at = next + len;
  }
  parts.push(text.slice(at));
  return parts;
}

/** Text with a "show all" for payloads over 64 KB (a 20 MB result must not lock the page). */
export function TextBlock({ value, label }: { value: unknown; label: string }) {
  const [all, setAll] = useState(false);
  const words = useContext(Highlight);
  const { text, cut } = show(value, all ? Infinity : undefined);
  return (
    <div>
      <pre className="lp-pre" aria-label={label}>{marked(text, words)}</pre>
      {cut > 0 && <button onClick={() => setAll(true)}>Show all ({cut.toLocaleString()} more characters)</button>}
    </div>
  );
}

function MessageView({ m }: { m: Message }) {
  const head = m.role === 'tool' ? `tool result · ${m.name ?? ''} · ${m.toolCallId ?? ''}` : m.role;
  return (
    <div className="lp-msg">
      <h4>{head}</h4>
      {m.content && <TextBlock value={m.content} label={`${m.role} message`} />}
      {m.toolCalls?.map((c) => <TextBlock key={c.id} value={`→ ${c.name}(${c.arguments})  [${c.id}]`} label="tool call" />)}
    </div>
  );
}

export interface StepDetailProps {
  run: RunView;
  step: StepRow;
  tab: DetailTab;
  onTab(t: DetailTab): void;
  onReplay?: ((step: number) => void) | undefined;
  /** Runs this step started (subagents), shown under it. */
  subagents?: readonly RunView[];
  onOpenRun?: ((runId: string) => void) | undefined;
}

export function StepDetail({ run, step, tab, onTab, onReplay, subagents = [], onOpenRun }: StepDetailProps) {
  const r = step.record;
  const origin = run.tools.find((t) => t.name === r.toolCall.name)?.origin;
  const tabs: [DetailTab, string][] = [['prompt', 'Prompt'], ['diff', 'Diff'], ['reply', 'Reply'], ['call', 'Call'], ['result', 'Result'], ['hooks', 'Hooks']];
  const [against, setAgainst] = useState<number>();
  // default: the last step before this one whose reply came from an earlier prompt
  const prev = (against !== undefined ? stepAt(run, against) : undefined) ?? previousPrompt(run, step);
  return (
    <section className="lp-detail" aria-label={`Step ${step.index} detail`}>
      <h3 style={{ margin: '0 0 6px' }}>
        Step {step.index} · {show(r.toolCall.name).text}{origin ? ` (MCP server ${visible(origin.server)}${origin.tool !== r.toolCall.name ? `, its ${visible(origin.tool)}` : ''})` : ''} · {r.status} · LLM {ms(r.timing.llmMs)} · tool {ms(r.timing.toolMs)}
        {r.usage ? ` · ${tokens(r.usage.inputTokens)} in / ${tokens(r.usage.outputTokens)} out` : ''}{r.usage?.costUsd !== undefined ? ` · $${r.usage.costUsd.toFixed(4)}` : ''}
      </h3>
      <CopyButtons run={run} step={step} onReplay={onReplay} />
      {subagents.map((k) => <Subagent key={k.runId} run={k} onOpenRun={onOpenRun} />)}
      <div role="tablist" className="lp-tabs">
        {tabs.map(([t, label]) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => onTab(t)}>{label}</button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'prompt' && <PromptView run={run} k={step.prompt} />}
        {tab === 'diff' && (
          <>
            <label>
              Compare with step{' '}
              <select aria-label="Compare with step" value={prev?.index ?? ''} onChange={(e) => setAgainst(Number(e.target.value))}>
                {!prev && <option value="">—</option>}
                {baselines(run, step, prev).map((s) => <option key={s.index} value={s.index}>#{s.index} {show(s.record.toolCall.name, 40).text}</option>)}
              </select>
            </label>
            {run.steps.length > WINDOW && (
              <label> or step #<input type="number" min={1} aria-label="Compare with step number" style={{ width: '9ch' }} onChange={(e) => { const n = Number(e.target.value); if (stepAt(run, n) && n !== step.index) setAgainst(n); }} /></label>
            )}
            {prev
              ? <PromptDiff before={promptAt(run, prev.prompt)} after={promptAt(run, step.prompt)} label={`Prompt of step ${step.index} against step ${prev.index}`} />
              : <p>No earlier prompt to compare with.</p>}
          </>
        )}
        {tab === 'call' && <TextBlock value={{ id: r.toolCall.id, name: r.toolCall.name, args: r.toolCall.args }} label="tool call" />}
        {tab === 'result' && (r.toolResult.error
          ? <TextBlock value={r.toolResult.error} label="error" />
          : <TextBlock value={r.toolResult.data ?? null} label="result" />)}
        {tab === 'reply' && <ReplyView run={run} k={step.prompt} />}
        {tab === 'hooks' && (step.decisions.length ? <Decisions list={step.decisions} /> : <p>No hook changed this step.</p>)}
      </div>
    </section>
  );
}

/** The last step before `step` whose reply came from an earlier prompt (walking back from it, not scanning the run). */
function previousPrompt(run: RunView, step: StepRow): StepRow | undefined {
  for (let i = run.steps.indexOf(step) - 1; i >= 0; i--) if (run.steps[i]!.prompt < step.prompt) return run.steps[i];
  return undefined;
}

/** Baselines the picker lists: the first step and the steps around this one (a 100,000-step run is not 100,000 options). */
const WINDOW = 400;
function baselines(run: RunView, step: StepRow, prev: StepRow | undefined): StepRow[] {
  const at = run.steps.indexOf(step);
  const near = run.steps.slice(Math.max(0, at - WINDOW + 50), at + 50);
  const out = [...(near[0] === run.steps[0] ? [] : [run.steps[0]!]), ...(prev && !near.includes(prev) ? [prev] : []), ...near];
  return out.filter((s) => s !== step).sort((a, b) => a.index - b.index);
}

/** Long prompts are folded: the task and the latest messages, the middle on request. */
const FOLD_AT = 60;
const KEEP_LAST = 40;

function PromptView({ run, k }: { run: RunView; k: number }) {
  const p = promptAt(run, k);
  const [all, setAll] = useState(false);
  const n = p.messages.length;
  const folded = !all && n > FOLD_AT;
  const hidden = folded ? n - 1 - KEEP_LAST : 0;
  return (
    <div aria-label="Prompt the model saw">
      {p.system && <div className="lp-msg"><h4>system</h4><TextBlock value={p.system} label="system prompt" /></div>}
      {(folded ? p.messages.slice(0, 1) : p.messages).map((m, i) => <MessageView key={i} m={m} />)}
      {folded && <button onClick={() => setAll(true)}>Show {hidden.toLocaleString()} earlier messages</button>}
      {folded && p.messages.slice(n - KEEP_LAST).map((m, i) => <MessageView key={n - KEEP_LAST + i} m={m} />)}
    </div>
  );
}

/** The model's own reply to the prompt: its text, its reasoning, its calls, and the whole response. */
function ReplyView({ run, k }: { run: RunView; k: number }) {
  const p = run.prompts[k];
  const res = p?.response;
  if (!res) return <p>The trace has no reply for this step (no llm.response event).</p>;
  return (
    <div aria-label="The model's reply">
      <p className="lp-muted">{res.model ? `${visible(res.model)} · ` : ''}{p.llmMs !== undefined ? ms(p.llmMs) : ''}{res.finishReason ? ` · finish: ${visible(res.finishReason)}` : ''}{res.usage ? ` · ${tokens(res.usage.inputTokens)} in / ${tokens(res.usage.outputTokens)} out` : ''}</p>
      {res.reasoning && <div className="lp-msg"><h4>reasoning</h4><TextBlock value={res.reasoning} label="reasoning" /></div>}
      <div className="lp-msg"><h4>text</h4>{res.text ? <TextBlock value={res.text} label="reply text" /> : <p className="lp-muted">(no text)</p>}</div>
      {res.toolCalls?.length ? <div className="lp-msg"><h4>tool calls</h4><TextBlock value={res.toolCalls} label="reply tool calls" /></div> : null}
      <details><summary>Raw response</summary><TextBlock value={res} label="raw response" /></details>
    </div>
  );
}

/** Every decision about a step, as fields: who decided, in which slot, what. */
function Decisions({ list }: { list: readonly StepDecision[] }) {
  return (
    <ul className="lp-decisions" aria-label="Decisions about this step">
      {list.map((d, i) => {
        if (d.source === 'human') {
          const x = d.decision;
          return <li key={i}><strong>human</strong> → {x.kind}{x.kind === 'reject' ? `: ${visible(x.reason)}` : ''}{x.kind === 'edit' ? ` ${show(x.args, 300).text}` : ''}</li>;
        }
        const e = d.event;
        if (e.type === 'decision') {
          const x = e.decision;
          const detail = 'reason' in x ? x.reason : 'text' in x ? x.text : 'args' in x ? show(x.args, 300).text : 'result' in x ? show(x.result, 300).text : '';
          return <li key={i}><strong>{visible(e.hook)}</strong> · {e.slot} → {x.kind}{detail ? `: ${visible(String(detail))}` : ''}</li>;
        }
        if (e.type === 'compact') return <li key={i}><strong>compaction</strong> · {visible(e.strategy)} ({e.reason}): {tokens(e.tokensBefore)} → {tokens(e.tokensAfter)} tokens</li>;
        return <li key={i} className="lp-error"><strong>error</strong>{e.hook ? ` · ${visible(e.hook)}.${e.slot ?? ''}` : ''} → {visible(e.error.message)}</li>;
      })}
    </ul>
  );
}

/** Copy the step as JSON, or the request the model got as a curl command (the key is a variable, never a value). */
function CopyButtons({ run, step, onReplay }: { run: RunView; step: StepRow; onReplay?: ((step: number) => void) | undefined }) {
  const [done, setDone] = useState<string>();
  const copy = (what: string, text: string) => {
    void navigator.clipboard?.writeText(text).then(() => setDone(`${what} copied`), () => setDone(`Could not copy the ${what.toLowerCase()}`));
  };
  return (
    <div className="lp-tabs">
      <button onClick={() => copy('Step JSON', JSON.stringify(step.record, null, 2))}>Copy step as JSON</button>
      <button onClick={() => copy('curl command', curlOf(run, step))}>Copy request as curl</button>
      {onReplay && <button onClick={() => onReplay(step.index)} title="Re-run this run up to here from its recorded replies, then go on live">Replay from here</button>}
      {done && <span role="status" className="lp-muted">{done}</span>}
    </div>
  );
}

/** The prompt of the step as an OpenAI-compatible chat request, for replaying it by hand. */
export function curlOf(run: RunView, step: StepRow): string {
  const p = promptAt(run, step.prompt);
  const messages = [
    ...(p.system ? [{ role: 'system', content: p.system }] : []),
    ...p.messages.map((m) => m.role === 'tool'
      ? { role: 'tool', tool_call_id: m.toolCallId, content: m.content }
      : m.toolCalls?.length ? { role: m.role, content: m.content || null, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) } : { role: m.role, content: m.content }),
  ];
  const tools = run.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
  const body = JSON.stringify({ model: run.prompts[step.prompt]?.response?.model ?? 'MODEL', messages, ...(tools.length ? { tools } : {}) });
  return `curl https://api.openai.com/v1/chat/completions \\\n  -H 'content-type: application/json' \\\n  -H "authorization: Bearer $OPENAI_API_KEY" \\\n  -d '${body.replace(/'/g, "'\\''")}'`;
}

/** A run this step started, folded under it: its status and totals, its steps on expanding, a way into it. */
function Subagent({ run, onOpenRun }: { run: RunView; onOpenRun?: ((runId: string) => void) | undefined }) {
  return (
    <details className="lp-sub">
      <summary>Subagent run {visible(run.runId)} · {run.status} · {run.steps.length} steps · {tokens(run.usage.inputTokens)} in / {tokens(run.usage.outputTokens)} out</summary>
      <ol aria-label={`Steps of subagent run ${visible(run.runId)}`}>
        {run.steps.slice(0, 200).map((s) => <li key={s.index}>#{s.index} {visible(s.record.toolCall.name)} · {s.record.status}{s.record.toolResult.error ? `: ${visible(s.record.toolResult.error.message)}` : ''}</li>)}
      </ol>
      {onOpenRun && <button onClick={() => onOpenRun(run.runId)}>Open subagent run</button>}
    </details>
  );
}
