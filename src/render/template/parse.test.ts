import { describe, expect, it } from 'vitest';
import { BUILTINS, Lexer, nodeString, parseTrees, TemplateParseError, type Node } from './index.js';
import { ItemType, itemString } from './lex.js';

const hasFunction = (n: string): boolean => Object.prototype.hasOwnProperty.call(BUILTINS, n) || n === 'upper';

function roundTrip(text: string): string {
  const trees = parseTrees('t', text, { hasFunction });
  return nodeString(trees.get('t')!.root as Node);
}

describe('parse tree printing (Node.String)', () => {
  const cases: Array<[string, string]> = [
    ['hello', 'hello'],
    ['{{ .A.B }}', '{{.A.B}}'],
    ['{{ $x := .A | printf "%s" }}', '{{$x := .A | printf "%s"}}'],
    ['{{ $x := 1 }}{{ $x = 2 }}', '{{$x := 1}}{{$x = 2}}'],
    ['{{ range $i, $v := .L }}{{ $v }}{{ else }}none{{ end }}', '{{range $i, $v := .L}}{{$v}}{{else}}none{{end}}'],
    ['{{ if .A }}a{{ else if .B }}b{{ end }}', '{{if .A}}a{{else}}{{if .B}}b{{end}}{{end}}'],
    ['{{ with .A }}a{{ else with .B }}b{{ end }}', '{{with .A}}a{{else}}{{with .B}}b{{end}}{{end}}'],
    ['{{ template "x" . }}', '{{template "x" .}}'],
    ['{{ (print 1).X.Y }}', '{{(print 1).X.Y}}'],
    ['{{ $.A }}{{ $ }}', '{{$.A}}{{$}}'],
    ['{{ print (upper "a") `raw` \'c\' 0x1F 1e3 nil true }}', '{{print (upper "a") `raw` \'c\' 0x1F 1e3 nil true}}'],
    ['{{ range .L }}{{ break }}{{ continue }}{{ end }}', '{{range .L}}{{break}}{{continue}}{{end}}'],
    ['a {{- 1 -}} b', 'a{{1}}b'],
    ['{{/* c */}}x', 'x'],
  ];
  for (const [src, want] of cases) it(JSON.stringify(src), () => expect(roundTrip(src)).toBe(want));
});

describe('defines', () => {
  it('collects define and block trees', () => {
    const trees = parseTrees('f', '{{ define "a" }}A{{ end }}{{ block "b" . }}B{{ end }}x', { hasFunction });
    expect([...trees.keys()].sort()).toEqual(['a', 'b', 'f']);
    expect(nodeString(trees.get('a')!.root!)).toBe('A');
    expect(nodeString(trees.get('f')!.root!)).toBe('{{template "b" .}}x');
    expect(trees.get('a')!.parseName).toBe('f');
  });
  it('an empty redefinition in the same text is allowed', () => {
    const trees = parseTrees('f', '{{ define "a" }}A{{ end }}{{ define "a" }} {{ end }}', { hasFunction });
    expect(nodeString(trees.get('a')!.root!)).toBe('A');
  });
  it('skipFuncCheck', () => {
    expect(() => parseTrees('f', '{{ nope }}', { hasFunction })).toThrow(TemplateParseError);
    expect(parseTrees('f', '{{ nope }}', { hasFunction, skipFuncCheck: true }).size).toBe(1);
  });
  it('break/continue are identifiers when defined as functions', () => {
    const trees = parseTrees('f', '{{ break }}', { hasFunction: (n) => n === 'break' });
    expect(nodeString(trees.get('f')!.root!)).toBe('{{break}}');
  });
});

describe('lexer', () => {
  function items(text: string): string[] {
    const l = new Lexer('t', text, '{{', '}}');
    const out: string[] = [];
    for (;;) {
      const i = l.nextItem();
      out.push(`${ItemType[i.typ]}:${i.val}@${i.line}`);
      if (i.typ === ItemType.EOF || i.typ === ItemType.Error) return out;
    }
  }
  it('tokens with lines', () => {
    expect(items('a\n{{ .X | f "s" }}\nb')).toEqual([
      'Text:a\n@1', 'LeftDelim:{{@2', 'Space: @2', 'Field:.X@2', 'Space: @2', 'Pipe:|@2', 'Space: @2',
      'Identifier:f@2', 'Space: @2', 'String:"s"@2', 'Space: @2', 'RightDelim:}}@2', 'Text:\nb@2', 'EOF:@3',
    ]);
  });
  it('trim markers remove surrounding spaces', () => {
    expect(items('a \n{{- 1 -}}\n b')).toEqual(['Text:a@1', 'LeftDelim:{{@2', 'Number:1@2', 'RightDelim:}}@2', 'Text:b@3', 'EOF:@3']);
  });
  it('numbers and complex', () => {
    expect(items('{{1+2i -3 .5 0x1p-2}}').filter((s) => !s.startsWith('Space'))).toEqual([
      'LeftDelim:{{@1', 'Complex:1+2i@1', 'Number:-3@1', 'Number:.5@1', 'Number:0x1p-2@1', 'RightDelim:}}@1', 'EOF:@1',
    ]);
  });
  it('errors', () => {
    expect(items('{{ 3k }}').pop()).toBe('Error:bad number syntax: "3k"@1');
    expect(items('{{ "abc').pop()).toBe('Error:unterminated quoted string@1');
    expect(items('{{ a§ }}').pop()).toBe("Error:bad character U+00A7 '§'@1");
  });
  it('item printing', () => {
    expect(itemString({ typ: ItemType.String, pos: 0, val: '"abcdefghijkl"', line: 1 })).toBe('"\\"abcdefghi"...');
    expect(itemString({ typ: ItemType.If, pos: 0, val: 'if', line: 1 })).toBe('<if>');
  });
});
