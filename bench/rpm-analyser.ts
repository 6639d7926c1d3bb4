/**
 * bench/rpm-analyser: the rpm analyser on the shared rpmdb fixtures and on a large SQLite rpmdb,
 * in-process, median of 9 runs each.
 *
 *   npx tsx bench/rpm-analyser.ts
 *
 * - the four databases of ../shared/testdata/images/rpm (BerkeleyDB, NDB, SQLite);
 * - a SQLite rpmdb of 3,000 packages (the CBL-Mariner headers repeated, about the size of a
 *   full Fedora host), made with SQLite itself, in WAL mode as rpm leaves it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { rpmAnalyser } from '../src/inventory/analysers/rpm.js';
import type { ImageFile } from '../src/model/stages.js';

const images = resolve(import.meta.dirname, '..', '..', 'shared', 'testdata', 'images', 'rpm');
const file = (path: string, content: Buffer): ImageFile => ({ path, layer: 'sha256:bench', size: content.length, content });

function large(): Buffer {
  const src = Buffer.from(readFileSync(join(images, 'go-rpmdb-cbl-mariner-2.0', 'var', 'lib', 'rpm', 'rpmdb.sqlite')));
  src[18] = src[19] = 1;
  const from = new Database(src, { readonly: true });
  const blobs = (from.prepare('SELECT blob FROM Packages').all() as { blob: Buffer }[]).map((r) => r.blob);
  from.close();
  const db = new Database(':memory:');
  db.exec("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
  const insert = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(blobs[i % blobs.length]);
  })();
  const out = db.serialize();
  db.close();
  out[18] = out[19] = 2;
  return out;
}

const cases: [string, ImageFile][] = [
  ['BerkeleyDB (syft, 1 package)', file('/var/lib/rpm/Packages', readFileSync(join(images, 'syft-bdb', 'var', 'lib', 'rpm', 'Packages')))],
  ['BerkeleyDB (libuuid, 1 package, 20 overflow pages)', file('/var/lib/rpm/Packages', readFileSync(join(images, 'go-rpmdb-libuuid', 'var', 'lib', 'rpm', 'Packages')))],
  ['NDB (SLE 15 BCI, 35 packages)', file('/usr/lib/sysimage/rpm/Packages.db', readFileSync(join(images, 'go-rpmdb-sle15-bci', 'usr', 'lib', 'sysimage', 'rpm', 'Packages.db')))],
  ['SQLite (CBL-Mariner 2.0, 129 packages)', file('/var/lib/rpm/rpmdb.sqlite', readFileSync(join(images, 'go-rpmdb-cbl-mariner-2.0', 'var', 'lib', 'rpm', 'rpmdb.sqlite')))],
  ['SQLite (3,000 packages)', file('/var/lib/rpm/rpmdb.sqlite', large())],
];

for (const [what, f] of cases) {
  const times: number[] = [];
  let packages = 0;
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    const r = rpmAnalyser.analyse([f]);
    times.push(performance.now() - t);
    packages = r.packages.length;
    if (r.gaps.length > 0) throw new Error(`${what}: ${r.gaps[0]!.reason}`);
  }
  times.sort((a, b) => a - b);
  const mib = f.content.length / 1024 / 1024;
  console.log(`${what}: ${packages} packages, ${mib.toFixed(2)} MiB, median ${times[4]!.toFixed(1)} ms (${(mib / (times[4]! / 1000)).toFixed(0)} MiB/s)`);
}
