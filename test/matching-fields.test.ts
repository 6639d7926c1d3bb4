/**
 * Matching reads only a record's id, aliases, affected entries and CPEs (VulnDb
 * matchFieldsForPackage, taken out of the JSON by SQLite) and reads the records that match whole
 * (recordsByIds). On the real Bitnami dump and the real mixed one (Debian-less: Go, PyPI,
 * crates.io, AlmaLinux), every third package at versions its records name, and around them, gets
 * the same findings that matching whole records gives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImagePackage, OsvRecord } from '../src/model/advisory.js';
import { memoryDb } from '../src/vuln/db/store.js';
import { findingsFor, type RecordStore } from '../src/vuln/index.js';
import { sharedZipEntries } from './helpers/shared.js';

/** The store without the match-fields read: every record parsed whole. */
const wholeRecords = (db: ReturnType<typeof memoryDb>): RecordStore => ({
  recordsForPackage: (e, n) => db.recordsForPackage(e, n),
  recordsForCpe: (v, p, o) => db.recordsForCpe(v, p, o),
});

describe.each(['bitnami-all.zip', 'real-mixed.zip'])('%s', (dump) => {
  let db: ReturnType<typeof memoryDb>;
  let packages: ImagePackage[] = [];
  beforeAll(() => {
    const records: OsvRecord[] = [];
    for (const e of sharedZipEntries('osv', dump)) records.push(JSON.parse(e.data.toString('utf8')) as OsvRecord);
    db = memoryDb(records, { source: dump });
    // each package at each version its records' events name, and at versions beside them
    const versions = new Map<string, Set<string>>();
    for (const r of records) {
      for (const a of r.affected ?? []) {
        if (!a.package) continue;
        const key = `${a.package.ecosystem}\u0000${a.package.name}`;
        const set = versions.get(key) ?? new Set(['0.0.1', '999.0.0']);
        versions.set(key, set);
        for (const g of a.ranges ?? []) for (const ev of g.events ?? []) for (const v of Object.values(ev)) if (v !== '0' && v !== '*') set.add(v as string);
        for (const v of a.versions ?? []) set.add(v);
      }
    }
    // every third package, at up to 12 of those versions (the whole set takes minutes)
    packages = [...versions].filter((_, i) => i % 3 === 0).flatMap(([key, vs]) => {
      const [ecosystem, name] = key.split('\u0000') as [string, string];
      return [...vs].filter((_, i) => i < 12).map((version) => ({ ecosystem, name, version, image: 'x' }));
    });
  }, 300_000);

  it('the match fields of each record are its own', () => {
    for (const p of packages.filter((_, i) => i % 12 === 0)) {
      const whole = db.recordsForPackage(p.ecosystem, p.name);
      const fields = db.matchFieldsForPackage(p.ecosystem, p.name);
      expect(fields).toEqual(whole.map((r) => ({
        id: r.id, modified: r.modified,
        ...(r.aliases ? { aliases: r.aliases } : {}), ...(r.affected ? { affected: r.affected } : {}),
        ...(r.database_specific && 'cpes' in r.database_specific ? { database_specific: { cpes: r.database_specific.cpes } } : {}),
      })));
    }
  });

  it('the same findings as matching whole records', () => {
    expect(packages.length).toBeGreaterThan(500);
    const got = findingsFor(packages, db);
    expect(got.findings.length).toBeGreaterThan(200);
    expect(got).toEqual(findingsFor(packages, wholeRecords(db)));
  }, 300_000);
});
