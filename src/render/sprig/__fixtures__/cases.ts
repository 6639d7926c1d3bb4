/** Loading cases.yaml, shared by generate.ts and the test. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface Case {
  name: string;
  /** Template body (Go template text). */
  template: string;
  /** Values, available as `.Values` in the case. */
  values?: unknown;
  /** Not rendered by helm (e.g. needs the network); only checked by hand-written asserts. */
  skipHelm?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

export function loadCases(): Case[] {
  const doc = parse(readFileSync(join(here, 'cases.yaml'), 'utf8')) as { cases: Array<Case | Record<string, string>> };
  const out: Case[] = [];
  const seen = new Set<string>();
  for (const entry of doc.cases) {
    // Short form: `- name: template`
    const c: Case = 'template' in entry && typeof entry.template === 'string'
      ? (entry as Case)
      : { name: Object.keys(entry)[0]!, template: String(Object.values(entry)[0]) };
    if (seen.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    seen.add(c.name);
    out.push(c);
  }
  return out;
}

/** The `define` text of case n (shared by the helm chart and the engine test). */
export function defineText(n: number, c: Case): string {
  return `{{- define "case-${n}" -}}${c.template.replace(/\n$/, '')}{{- end -}}\n`;
}
