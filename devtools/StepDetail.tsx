import { useState } from 'react';
import type { Message } from 'looplet';
import { promptAt, type RunView, type StepRow } from './model.ts';
import { PromptDiff } from './PromptDiff.tsx';
import { ms, show } from './text.ts';

export type DetailTab = 'prompt' | 'diff' | 'call' | 'result' | 'hooks';

/** Text with a "show all" for payloads over 64 KB (a 20 MB result must not lock the page). */
export function TextBlock({ value, label }: { value: unknown; label: string }) {
  const [all, setAll] = useState(false);
  const { text, cut } = show(value, all ? Infinity : undefined);
  return (
    <div>
      <pre className="lp-pre" aria-label={label}>{text}</pre>
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

export function StepDetail({ run, step, tab, onTab }: { run: RunView; step: StepRow; tab: DetailTab; onTab(t: DetailTab): void }) {
  const r = step.record;
  const tabs: [DetailTab, string][] = [['prompt', 'Prompt'], ['diff', 'Diff'], ['call', 'Call'], ['result', 'Result'], ['hooks', 'Hooks']];
  const [against, setAgainst] = useState<number>();
  // default: the last step before this one whose reply came from an earlier prompt
  const prev = (against !== undefined ? run.steps.find((s) => s.index === against) : undefined)
    ?? run.steps.slice(0, run.steps.indexOf(step)).reverse().find((s) => s.prompt < step.prompt);
  return (
    <section className="lp-detail" aria-label={`Step ${step.index} detail`}>
      <h3 style={{ margin: '0 0 6px' }}>
        Step {step.index} · {show(r.toolCall.name).text} · {r.status} · LLM {ms(r.timing.llmMs)} · tool {ms(r.timing.toolMs)}
        {r.usage ? ` · ${r.usage.inputTokens} in / ${r.usage.outputTokens} out` : ''}
      </h3>
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
                {run.steps.filter((s) => s !== step).map((s) => <option key={s.index} value={s.index}>#{s.index} {show(s.record.toolCall.name, 40).text}</option>)}
              </select>
            </label>
            {prev
              ? <PromptDiff before={promptAt(run, prev.prompt)} after={promptAt(run, step.prompt)} label={`Prompt of step ${step.index} against step ${prev.index}`} />
              : <p>No earlier prompt to compare with.</p>}
          </>
        )}
        {tab === 'call' && <TextBlock value={{ id: r.toolCall.id, name: r.toolCall.name, args: r.toolCall.args }} label="tool call" />}
        {tab === 'result' && (r.toolResult.error
          ? <TextBlock value={r.toolResult.error} label="error" />
          : <TextBlock value={r.toolResult.data ?? null} label="result" />)}
        {tab === 'hooks' && (step.decisions.length ? <TextBlock value={step.decisions} label="hook decisions" /> : <p>No hook changed this step.</p>)}
      </div>
    </section>
  );
}

function PromptView({ run, k }: { run: RunView; k: number }) {
  const p = promptAt(run, k);
  return (
    <div aria-label="Prompt the model saw">
      {p.system && <div className="lp-msg"><h4>system</h4><TextBlock value={p.system} label="system prompt" /></div>}
      {p.messages.map((m, i) => <MessageView key={i} m={m} />)}
    </div>
  );
}
