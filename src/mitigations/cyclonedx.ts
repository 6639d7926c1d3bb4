/**
 * CycloneDX VEX (JSON, spec 1.4–1.6; reference/mitigations.md §3.2): `vulnerabilities[].analysis.state`
 * mapped to the VEX statuses (not_affected/false_positive → not_affected, resolved/
 * resolved_with_pedigree → fixed, exploitable → affected, in_triage → under_investigation);
 * `affects[].ref` resolved through `components[].bom-ref` (nested and metadata.component included),
 * as a purl itself, or as a BOM-Link `urn:cdx:<serial>/<version>#<bom-ref>`. The CycloneDX
 * justification is kept verbatim. `references[].id` are aliases.
 */
import { InputError } from '../model/errors.js';
import type { ReadResult, Statement, VexStatus } from './model.js';
import { isRecord, parseTime, str } from './common.js';
import { parsePurl } from './purl.js';

const STATES: Record<string, VexStatus> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

export function isCycloneDx(doc: unknown): boolean {
  return isRecord(doc) && doc['bomFormat'] === 'CycloneDX';
}

function collectComponents(list: unknown, out: Map<string, string | null>): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (!isRecord(c)) continue;
    const ref = str(c['bom-ref']);
    const purl = str(c['purl']);
    if (ref) out.set(ref, purl && parsePurl(purl) ? purl : null);
    collectComponents(c['components'], out);
  }
}

export function readCycloneDx(input: Buffer | string | unknown, name: string, opts: { trusted: boolean }): ReadResult {
  let doc: unknown = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    try {
      doc = JSON.parse(Buffer.isBuffer(input) ? input.toString('utf8').replace(/^\uFEFF/, '') : input);
    } catch (e) {
      throw new InputError(`${name}: not valid JSON: ${(e as Error).message}`, name);
    }
  }
  if (!isRecord(doc) || !isCycloneDx(doc)) throw new InputError(`${name}: not a CycloneDX document (bomFormat is not CycloneDX)`, name);
  const warnings: string[] = [];
  const spec = str(doc['specVersion']);
  if (!spec || !['1.4', '1.5', '1.6'].includes(spec)) warnings.push(`${name}: CycloneDX specVersion ${spec ?? '(none)'}: read as 1.6`);
  const refs = new Map<string, string | null>();
  const meta = isRecord(doc['metadata']) ? doc['metadata'] : {};
  if (isRecord(meta['component'])) collectComponents([meta['component']], refs);
  collectComponents(doc['components'], refs);
  const docTime = parseTime(meta['timestamp']) ?? null;
  const vulns = doc['vulnerabilities'];
  if (vulns === undefined) return { statements: [], warnings: [...warnings, `${name}: no vulnerabilities: nothing to apply`] };
  if (!Array.isArray(vulns)) throw new InputError(`${name}: vulnerabilities must be a list`, name);
  const statements: Statement[] = [];
  vulns.forEach((v: unknown, i: number) => {
    const where = `vulnerabilities[${i}]`;
    if (!isRecord(v)) throw new InputError(`${name}: ${where} is not an object`, name);
    const id = str(v['id']);
    if (!id) throw new InputError(`${name}: ${where} has no id`, name);
    const aliases: string[] = [];
    if (Array.isArray(v['references'])) {
      for (const r of v['references']) {
        const a = isRecord(r) ? str(r['id']) : null;
        if (a && a !== id && !aliases.includes(a)) aliases.push(a);
      }
    }
    const analysis = v['analysis'];
    if (!isRecord(analysis) || analysis['state'] === undefined) {
      warnings.push(`${name}: ${where} (${id}) has no analysis.state: not a VEX statement, ignored`);
      return;
    }
    const state = analysis['state'];
    const status = typeof state === 'string' ? STATES[state] : undefined;
    if (!status) throw new InputError(`${name}: ${where} (${id}): analysis.state ${JSON.stringify(state)} is not one of ${Object.keys(STATES).join(', ')}`, name);
    const justification = str(analysis['justification']);
    const parts = [str(analysis['detail'])];
    if (Array.isArray(analysis['response']) && analysis['response'].length) parts.push(`response: ${analysis['response'].map(String).join(', ')}`);
    const note = parts.filter((x): x is string => x !== null).join(' — ') || null;
    const ts = parseTime(analysis['lastUpdated']) ?? parseTime(analysis['firstIssued']) ?? parseTime(v['updated']) ?? docTime;
    const base = { vulnerability: id, status, justification, note, source: name, trusted: opts.trusted, expires: null, format: 'cyclonedx' as const, timestamp: ts ?? null };
    const affects = v['affects'];
    if (!Array.isArray(affects) || affects.length === 0) {
      warnings.push(`${name}: ${where} (${id}) affects nothing named; it applies to every finding`);
      statements.push({ ...base, aliases: [...aliases], scope: { kind: 'any' }, index: statements.length });
      return;
    }
    affects.forEach((a: unknown, j: number) => {
      const ref = isRecord(a) ? str(a['ref']) : null;
      if (!ref) {
        warnings.push(`${name}: ${where}.affects[${j}] (${id}) has no ref; ignored`);
        return;
      }
      let purl: string | null = null;
      if (parsePurl(ref)) purl = ref;
      else {
        const local = ref.startsWith('urn:cdx:') ? ref.slice(ref.indexOf('#') + 1) : ref;
        const hit = refs.get(ref.startsWith('urn:cdx:') && ref.includes('#') ? decodeURIComponent(local) : ref);
        if (hit === undefined) {
          warnings.push(`${name}: ${where}.affects[${j}] (${id}): ref ${ref} names no component in this document; ignored`);
          return;
        }
        if (hit === null) {
          warnings.push(`${name}: ${where}.affects[${j}] (${id}): component ${ref} has no purl; ignored`);
          return;
        }
        purl = hit;
      }
      if (isRecord(a) && Array.isArray(a['versions']) && a['versions'].length) warnings.push(`${name}: ${where}.affects[${j}] (${id}): affects versions are not evaluated; the statement applies to ${purl}`);
      statements.push({ ...base, aliases: [...aliases], scope: { kind: 'purl', purl }, index: statements.length });
    });
  });
  return { statements, warnings };
}
