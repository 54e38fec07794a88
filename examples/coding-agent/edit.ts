// The `edit` tool's core: replace one exact occurrence of a text. Exact and unique, so the model
// must quote what is really there, and an edit never lands in the wrong place.

/** `text` with the single occurrence of `oldText` replaced by `newText`; throws a clear error when it is missing or not unique. */
export function replaceExact(text: string, oldText: string, newText: string, path: string): string {
  if (oldText === '') throw new Error(`edit ${path}: old_text is empty. Quote the exact text to replace (use write to create a file).`);
  const at = occurrences(text, oldText);
  if (at.length === 0) {
    const hint = text.includes(oldText.trim()) ? ' It does appear with other leading or trailing whitespace: copy it exactly.' : ' Read the file and copy the text exactly, whitespace included.';
    throw new Error(`edit ${path}: old_text was not found.${hint}`);
  }
  if (at.length > 1) {
    const lines = at.map((i) => text.slice(0, i).split('\n').length);
    throw new Error(`edit ${path}: old_text occurs ${at.length} times (lines ${lines.join(', ')}). Include more surrounding lines so it matches once.`);
  }
  const i = at[0]!;
  return text.slice(0, i) + newText + text.slice(i + oldText.length);
}

function occurrences(text: string, part: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) out.push(i);
  return out;
}
