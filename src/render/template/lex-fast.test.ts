/**
 * The lexer's fast path for common tokens inside actions must give exactly the items of the
 * state machine (Go's lexer): every item's type, position, text and line, on edge cases and
 * on every template of the corpus charts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readChartArchive } from '../../chart/archive.js';
import { LoadBudget } from '../../chart/budget.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { ItemType, Lexer, type Item, type LexOptions } from './lex.js';

function items(text: string, reference: boolean, opts: Partial<LexOptions> = {}, delims: [string, string] = ['{{', '}}']): Item[] {
  const l = new Lexer('t', text, delims[0], delims[1], { emitComment: false, breakOK: true, continueOK: true, ...opts, reference });
  const out: Item[] = [];
  for (;;) {
    const it = l.nextItem();
    out.push({ ...it });
    if (it.typ === ItemType.EOF || it.typ === ItemType.Error) return out;
  }
}

describe('fast path = state machine', () => {
  it.each<[string, Partial<LexOptions>?, [string, string]?]>([
    ['{{.}}'], ['{{ . }}'], ['{{.a.b.c}}'], ['{{ .a.b | c (d .e) }}'], ['{{$}}'], ['{{ $x.y }}'], ['{{ $1 }}'],
    ['{{ "a\\"b" "\\u00e9" "é" }}'], ['{{ "a\nb" }}'], ['{{ "unterminated }}'], ['{{ "\\'], ['{{ x }}'], ['{{ true false nil }}'],
    ['{{ if .a }}{{ else if .b }}{{ end }}'], ['{{ range $i, $v := .l }}{{ break }}{{ continue }}{{ end }}'],
    ['{{ break }}', { breakOK: false, continueOK: false }], ['{{ continue }}', { continueOK: false }],
    ['{{.é}}'], ['{{ .aé }}'], ['{{ aé }}'], ['{{ $é }}'], ['{{ .a-}}'], ['{{- .a -}}'], ['{{ .a -}}'], ['{{ .a  -}}'],
    ['{{ ( ) }}'], ['{{ ) }}'], ['{{ (( .a )) }}'], ['{{ $x := 1 }}{{ $x = 2 }}'], ['{{ a:b }}'], ['{{ a := }}'],
    ['{{ .'], ['{{.'], ['{{ .a'], ['{{ $'], ['{{ a'], ['{{ .a\n.b\r\n\t.c }}'], ['x\n{{\n.a\n}}\ny\n{{ .b }}'],
    ['{{ .a.1 }}'], ['{{ .1 }}'], ['{{ 1.5 -2 +3 0x1f 1i 2+3i }}'], ['{{ `raw\nx` \'c\' }}'], ['{{ .a, .b }}'],
    ['{{ .a! }}'], ['{{ a# }}'], ['{{ /* c */ }}'], ['{{/* c */}}'], ['{{- /* c */ -}}'], ['{{ .a }}}'],
    ['[[ .a.b | c ]] {{ .x }}', undefined, ['[[', ']]']], ['[[.a]]', undefined, ['[[', ']]']], ['<% .a -%>', undefined, ['<%', '%>']],
    ['{{ .a}}'], ['{{.a }}'], ['{{ x.y }}'], ['{{ .a(.b) }}'], ['{{ "a"|b }}'], ['{{ "a"x }}'],
  ])('%j', (text, opts, delims) => {
    expect(items(text, false, opts, delims)).toEqual(items(text, true, opts, delims));
  });
});

describe('fast path = state machine on the corpus', () => {
  const dir = sharedPath('corpus', 'bitnami', 'charts');
  const charts = readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort();
  it('every template of every chart', async () => {
    const seen = new Set<string>();
    let files = 0;
    let tokens = 0;
    for (const chart of charts) {
      const entries = await readChartArchive(readFileSync(`${dir}/${chart}`), chart, new LoadBudget());
      for (const { name, data: bytes } of entries) {
        if (!/(^|\/)templates\//.test(name)) continue;
        const text = bytes.toString('utf8');
        if (seen.has(text)) continue;
        seen.add(text);
        const fast = items(text, false);
        const reference = items(text, true);
        if (JSON.stringify(fast) !== JSON.stringify(reference)) expect({ chart, name, fast }).toEqual({ chart, name, fast: reference });
        files++;
        tokens += fast.length;
      }
    }
    expect(files).toBeGreaterThan(3000);
    expect(tokens).toBeGreaterThan(1_500_000); // 3,053 texts, 1.86 million items in 2026-12
  }, 300_000);
});
