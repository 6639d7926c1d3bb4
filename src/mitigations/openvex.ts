/**
 * OpenVEX 0.2.0 documents (reference/mitigations.md §3.1). One statement per (statement × product);
 * products are purls (`pkg:bitnami/<name>@<v>`, `pkg:oci/<name>?repository_url=…`, `pkg:helm/…`)
 * given as `@id` or `identifiers.purl`; a plain image reference is read as `pkg:oci` with its tag
 * (as Grype does). Subcomponents restrict the statement to those packages. Statement timestamps
 * (else the document's) decide which statement of the document is the latest.
 */
import { InputError } from '../model/errors.js';
import { parseImageReference } from '../images/reference.js';
import { VEX_STATUSES, type ReadResult, type Statement, type StatementScope, type VexStatus } from './model.js';
import { isRecord, parseTime, str } from './common.js';
import { parsePurl } from './purl.js';

export const OPENVEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
];

export function isOpenVexContext(v: unknown): boolean {
  return typeof v === 'string' && /^https?:\/\/openvex\.dev\/ns(\/|$)/.test(v);
}

/** A product/subcomponent identifier as a purl; null when it is neither a purl nor an image reference. */
function componentPurl(c: unknown): string | null {
  let id: string | null = null;
  if (typeof c === 'string') id = c;
  else if (isRecord(c)) {
    const idf = isRecord(c['identifiers']) ? str(c['identifiers']['purl']) : null;
    id = idf ?? str(c['@id']);
  }
  if (!id) return null;
  if (parsePurl(id)) return id;
  try {
    const r = parseImageReference(id);
    const name = r.repository.split('/').pop()!;
    const q = [`repository_url=${r.registry}/${r.repository}`];
    if (r.tag && /:[^/]*$/.test(id.split('@')[0]!)) q.push(`tag=${encodeURIComponent(r.tag)}`);
    return `pkg:oci/${name}${r.digest ? `@${encodeURIComponent(r.digest)}` : ''}?${q.join('&')}`;
  } catch {
    return null;
  }
}

export function readOpenVex(input: Buffer | string | unknown, name: string, opts: { trusted: boolean }): ReadResult {
  let doc: unknown = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    try {
      doc = JSON.parse(Buffer.isBuffer(input) ? input.toString('utf8').replace(/^\uFEFF/, '') : input);
    } catch (e) {
      throw new InputError(`${name}: not valid JSON: ${(e as Error).message}`, name);
    }
  }
  if (!isRecord(doc) || !isOpenVexContext(doc['@context'])) throw new InputError(`${name}: not an OpenVEX document (@context is not https://openvex.dev/ns…)`, name);
  const warnings: string[] = [];
  const ctx = doc['@context'] as string;
  if (!/\/ns(\/v0\.2\.0)?\/?$/.test(ctx)) warnings.push(`${name}: @context ${ctx}: read as OpenVEX 0.2.0`);
  const docTime = parseTime(doc['last_updated']) ?? parseTime(doc['timestamp']) ?? null;
  const list = doc['statements'];
  if (!Array.isArray(list)) throw new InputError(`${name}: OpenVEX statements must be a list`, name);
  const statements: Statement[] = [];
  list.forEach((st: unknown, i: number) => {
    const where = `statements[${i}]`;
    if (!isRecord(st)) throw new InputError(`${name}: ${where} is not an object`, name);
    const v = st['vulnerability'];
    let vuln: string | null = null;
    const aliases: string[] = [];
    if (typeof v === 'string') vuln = str(v);
    else if (isRecord(v)) {
      const id = str(v['@id']);
      vuln = str(v['name']) ?? id;
      if (id && id !== vuln && !id.includes('://')) aliases.push(id);
      if (Array.isArray(v['aliases'])) for (const a of v['aliases']) if (str(a) && a !== vuln) aliases.push(String(a));
    }
    if (!vuln) throw new InputError(`${name}: ${where} has no vulnerability name`, name);
    const status = st['status'];
    if (typeof status !== 'string' || !VEX_STATUSES.includes(status as VexStatus)) {
      throw new InputError(`${name}: ${where} (${vuln}): status ${JSON.stringify(status ?? null)} is not one of ${VEX_STATUSES.join(', ')}`, name);
    }
    const justification = str(st['justification']);
    if (justification && !OPENVEX_JUSTIFICATIONS.includes(justification)) warnings.push(`${name}: ${where} (${vuln}): unknown justification ${justification}`);
    if (status === 'not_affected' && !justification && !str(st['impact_statement'])) {
      warnings.push(`${name}: ${where} (${vuln}): not_affected without justification or impact_statement`);
    }
    const notes = [str(st['impact_statement']), str(st['status_notes']), str(st['action_statement'])].filter((x): x is string => x !== null);
    const note = notes.length ? [...new Set(notes)].join(' — ') : null;
    const ts = parseTime(st['last_updated']) ?? parseTime(st['timestamp']) ?? docTime;
    const base = {
      vulnerability: vuln,
      aliases,
      status: status as VexStatus,
      justification,
      note,
      source: name,
      trusted: opts.trusted,
      expires: null,
      format: 'openvex' as const,
      timestamp: ts ?? null,
    };
    const products = st['products'];
    if (products === undefined || products === null || (Array.isArray(products) && products.length === 0)) {
      warnings.push(`${name}: ${where} (${vuln}) names no products; it applies to every finding`);
      statements.push({ ...base, scope: { kind: 'any' }, index: statements.length });
      return;
    }
    if (!Array.isArray(products)) throw new InputError(`${name}: ${where} (${vuln}): products must be a list`, name);
    products.forEach((p: unknown, j: number) => {
      const purl = componentPurl(p);
      if (!purl) {
        warnings.push(`${name}: ${where}.products[${j}] (${vuln}) has no purl or image reference; ignored`);
        return;
      }
      const scope: StatementScope = { kind: 'purl', purl };
      const s: Statement = { ...base, aliases: [...aliases], scope, index: statements.length };
      if (isRecord(p) && Array.isArray(p['subcomponents']) && p['subcomponents'].length > 0) {
        const subs = p['subcomponents'].map(componentPurl).filter((x): x is string => x !== null);
        if (subs.length < p['subcomponents'].length) warnings.push(`${name}: ${where}.products[${j}] (${vuln}): subcomponents without a purl are ignored`);
        if (subs.length === 0) return;
        s.subcomponents = subs;
      }
      statements.push(s);
    });
  });
  return { statements, warnings };
}
