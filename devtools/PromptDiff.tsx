import { useMemo } from 'react';
import type { Message } from 'looplet';
import { diffText, type LineChange } from './diff.ts';
import { promptText } from './model.ts';
import { visible } from './text.ts';

type Prompt = { system?: string; messages: readonly Message[] };

function Line({ c }: { c: LineChange }) {
  if (c.kind === 'same') return <div>{'  '}{visible(c.a ?? c.b ?? '')}</div>;
  if (c.kind === 'add') return <div className="lp-add" aria-label="added line">+ {visible(c.b ?? '')}</div>;
  if (c.kind === 'del') return <div className="lp-del" aria-label="removed line">- {visible(c.a ?? '')}</div>;
  if (c.words) {
    return (
      <div aria-label="changed line">
        ~ {c.words.map((w, i) => (w.kind === 'same' ? <span key={i}>{visible(w.text)}</span> : w.kind === 'add' ? <ins key={i}>{visible(w.text)}</ins> : <del key={i}>{visible(w.text)}</del>))}
      </div>
    );
  }
  return (
    <>
      <div className="lp-del" aria-label="removed line">- {visible(c.a ?? '')}</div>
      <div className="lp-add" aria-label="added line">+ {visible(c.b ?? '')}</div>
    </>
  );
}

/** What changed between two prompts: shared prefix and suffix folded, changed lines marked. */
export function PromptDiff({ before, after, label }: { before: Prompt; after: Prompt; label?: string }) {
  const result = useMemo(() => diffText(promptText(before), promptText(after), { timeoutMs: 200 }), [before, after]);
  return (
    <div className="lp-diff" aria-label={label ?? 'Prompt diff'}>
      <p>
        +{result.added} / −{result.removed} lines · {result.prefixLines} unchanged lines before, {result.suffixLines} after
        {result.status === 'replaced' ? ' · too different to align in time: shown as replaced' : ''} · {result.ms.toFixed(1)} ms
      </p>
      <pre className="lp-pre">
        {result.hunks.length === 0 && <div>The prompts are identical.</div>}
        {result.hunks.map((h, i) => (
          <div key={i}>
            {h.collapsedBefore > 0 && <div className="lp-fold">… {h.collapsedBefore} unchanged lines …</div>}
            {h.lines.map((c, j) => <Line key={j} c={c} />)}
          </div>
        ))}
      </pre>
    </div>
  );
}
