import { describe, expect, it } from 'vitest';
import { jsonModeInstructions, parseTextToolCalls } from '../lib/loop/json-mode.ts';

const calls = (text: string) => {
  const r = parseTextToolCalls(text);
  return r.kind === 'calls' ? r.calls : r;
};

describe('parseTextToolCalls', () => {
  it('reads a bare call, and one fenced amid prose', () => {
    expect(calls('{"tool": "greet", "args": {"name": "Ann"}}')).toEqual([{ name: 'greet', arguments: { name: 'Ann' } }]);
    expect(calls('Sure! Here is the call:\n```json\n{"tool": "greet", "args": {"name": "Ann"}}\n```\nLet me know if you need more.')).toEqual([
      { name: 'greet', arguments: { name: 'Ann' } },
    ]);
    expect(calls('I will call it now: {"tool":"add","args":{"a":1,"b":2},"reasoning":"sum"} and wait.')).toEqual([{ name: 'add', arguments: { a: 1, b: 2 } }]);
  });

  it('keeps braces, brackets, backticks and escaped quotes inside strings', () => {
    const text = '```\n{"tool": "write", "args": {"text": "a } b { c ] ``` \\"quoted\\" \\\\", "n": {"deep": [1, {"x": "}"}]}}}\n```';
    expect(calls(text)).toEqual([{ name: 'write', arguments: { text: 'a } b { c ] ``` "quoted" \\', n: { deep: [1, { x: '}' }] } } }]);
  });

  it('reads several calls: several objects, several fences, or an array', () => {
    const want = [{ name: 'a', arguments: {} }, { name: 'b', arguments: { x: 1 } }];
    expect(calls('{"tool":"a"}\n{"tool":"b","args":{"x":1}}')).toEqual(want);
    expect(calls('first\n```json\n{"tool":"a","args":{}}\n```\nthen\n```json\n{"tool":"b","args":{"x":1}}\n```')).toEqual(want);
    expect(calls('[{"tool":"a","args":{}}, {"tool":"b","args":{"x":1}}]')).toEqual(want);
  });

  it('accepts the other shapes models use', () => {
    expect(calls('{"name": "a", "arguments": {"x": 1}}')).toEqual([{ name: 'a', arguments: { x: 1 } }]);
    expect(calls('{"tool_name": "a", "parameters": {"x": 1}}')).toEqual([{ name: 'a', arguments: { x: 1 } }]);
    expect(calls('{"function": {"name": "a", "arguments": "{\\"x\\": 1}"}}')).toEqual([{ name: 'a', arguments: { x: 1 } }]);
    expect(calls('{"tool": "a", "args": "{\\"x\\": 2}"}')).toEqual([{ name: 'a', arguments: { x: 2 } }]);
  });

  it('ignores JSON that is not a call, and prose with stray brackets', () => {
    expect(parseTextToolCalls('The result was {"total": 3} and [1, 2].')).toEqual({ kind: 'none' });
    expect(parseTextToolCalls('I think we are finished.')).toEqual({ kind: 'none' });
    expect(calls('Use { to open a block. Now: {"tool":"a","args":{}}')).toEqual([{ name: 'a', arguments: {} }]);
  });

  it('reports a broken call with what was wrong', () => {
    const r1 = parseTextToolCalls('```json\n{"tool": "greet", "args": {"name": "Ann"}\n```');
    expect(r1.kind).toBe('malformed');
    expect(r1.kind === 'malformed' && r1.message).toMatch(/^Your reply contains a tool call that is not valid JSON: .*Reply with exactly \{"tool": "<name>", "args": \{\.\.\.\}\}\.$/);
    expect(parseTextToolCalls("{'tool': 'greet'}").kind).toBe('none'); // single quotes: not JSON, not a recognisable call start
    expect(parseTextToolCalls('{"tool": "greet", "args": {"name": "Ann"').kind).toBe('malformed');
    const r2 = parseTextToolCalls('{"tool": "greet", "args": [1]}');
    expect(r2.kind === 'malformed' && r2.message).toMatch(/"args" of your "greet" call must be a JSON object/);
  });

  it('reads the multi-call form {"tools": [...]}, bare or fenced amid prose', () => {
    const want = [{ name: 'read', arguments: { path: 'a.js' } }, { name: 'grep', arguments: { pattern: 'x' } }];
    expect(calls('{"tools": [{"tool": "read", "args": {"path": "a.js"}}, {"tool": "grep", "args": {"pattern": "x"}}]}')).toEqual(want);
    expect(calls('Two at once:\n```json\n{"tool_calls": [{"name": "read", "arguments": {"path": "a.js"}}, {"name": "grep", "arguments": {"pattern": "x"}}]}\n```')).toEqual(want);
    // a tool that is itself called "tools" is still a call
    expect(calls('{"tool": "tools", "args": {}}')).toEqual([{ name: 'tools', arguments: {} }]);
  });

  it('accepts raw newlines and tabs inside strings: a multi-line edit', () => {
    const edit = '{"tool": "write", "args": {"path": "fizz.js", "content": "for (let i = 1; i <= 15; i++) {\n\tconsole.log(i);\n}\n"}}';
    const raw = edit.replaceAll('\\n', '\n').replaceAll('\\t', '\t'); // what a model sends: real newlines and tabs
    expect(raw).toContain('\n\tconsole');
    expect(calls(raw)).toEqual([{ name: 'write', arguments: { path: 'fizz.js', content: 'for (let i = 1; i <= 15; i++) {\n\tconsole.log(i);\n}\n' } }]);
    expect(calls('```json\n' + raw + '\n```')).toEqual(calls(raw));
  });

  it('takes arguments written beside "tool" when there is no "args"', () => {
    expect(calls('{"tool": "write", "path": "a.txt", "content": "hi", "reasoning": "save it"}')).toEqual([{ name: 'write', arguments: { path: 'a.txt', content: 'hi' } }]);
    expect(calls('Now: {"tool": "greet", "name": "Ann"}')).toEqual([{ name: 'greet', arguments: { name: 'Ann' } }]);
    expect(calls('{"tool": "get_user", "id": 5}')).toEqual([{ name: 'get_user', arguments: { id: 5 } }]);
    // with "args" present, the fields beside it are not arguments
    expect(calls('{"tool": "a", "args": {"x": 1}, "note": "n"}')).toEqual([{ name: 'a', arguments: { x: 1 } }]);
  });

  it('keeps rejecting what cannot be read, quoting what it received', () => {
    const r = parseTextToolCalls('{"tool": "write", "args": "not json"}');
    expect(r.kind === 'malformed' && r.message).toMatch(/string that is not valid JSON\. You sent: "\{\\"tool\\":\\"write\\"/);
    const broken = parseTextToolCalls('```json\n{"tool": "write", "args": {"path": "x"\n```');
    expect(broken.kind === 'malformed' && broken.message).toMatch(/not valid JSON: .*You sent: "\{\\"tool\\": \\"write\\"/);
  });

  it('is linear on large prose', () => {
    const big = 'word { [ '.repeat(100_000) + '{"tool":"a","args":{}}';
    const t = performance.now();
    const r = parseTextToolCalls(big);
    expect(performance.now() - t).toBeLessThan(2000); // a quadratic scan takes minutes
    expect(r.kind).not.toBe('calls'); // the call sits after more stray brackets than the retry bound
  });
});

describe('jsonModeInstructions', () => {
  it('gives the exact format and every tool with its schema, deterministically', () => {
    const tools = [
      { name: 'greet', description: 'Greet someone.', parameters: { type: 'object', properties: { name: { type: 'string' } } } },
      { name: 'done', description: 'Finish.', parameters: { type: 'object' } },
    ];
    const text = jsonModeInstructions(tools);
    expect(text).toContain('{"tool": "<tool name>", "args": {<arguments>}}');
    expect(text).toContain('- greet: Greet someone.\n  parameters: {"type":"object","properties":{"name":{"type":"string"}}}');
    expect(text).toContain('- done: Finish.');
    expect(jsonModeInstructions(tools)).toBe(text);
  });
});
