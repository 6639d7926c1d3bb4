/**
 * The java analyser over a Maven repository directory (`~/.m2/repository` layout:
 * `<group path>/<artifact>/<version>/<artifact>-<version>[-classifier].jar`), where the path
 * itself states each jar's coordinates: an oracle for what a jar's own metadata should give.
 *
 *   npx tsx bench/java-repo.ts DIR
 *
 * Prints the time and how many jars got their own coordinates from pom.properties (exact), from
 * the manifest (guessed: right or wrong), from the file name only (no group), or nothing; and
 * the wrong guesses (Trivy's offline manifest rules: they are guesses, marked as such).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { javaAnalyser } from '../src/inventory/analysers/java.js';

const root = process.argv[2];
if (!root) {
  console.error('usage: npx tsx bench/java-repo.ts DIR (a Maven repository, e.g. a copy of ~/.m2/repository)');
  process.exit(2);
}

function* jars(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* jars(p);
    else if (e.isFile() && javaAnalyser.wants(p, { mode: 0o644, size: 0 })) yield p;
  }
}

let files = 0;
let bytes = 0;
let ms = 0;
const counts = { exact: 0, guessedRight: 0, fileNameOnly: 0, guessedWrong: 0, missing: 0, gaps: 0 };
const wrong: string[] = [];
for (const file of jars(root)) {
  const parts = relative(root, file).split(sep);
  if (parts.length < 4) continue;
  const [version, artifact] = [parts[parts.length - 2]!, parts[parts.length - 3]!];
  const group = parts.slice(0, -3).join('.');
  const want = `${group}:${artifact}`;
  const content = readFileSync(file);
  files++;
  bytes += statSync(file).size;
  const t = performance.now();
  const r = javaAnalyser.analyse([{ path: file, layer: 'bench', size: content.length, content }]);
  ms += performance.now() - t;
  if (r.gaps.length > 0) counts.gaps++;
  const own = r.packages.filter((p) => p.paths.length === 1);
  if (own.some((p) => p.name === want && p.version === version && p.confidence === 'exact')) counts.exact++;
  else if (own.some((p) => p.name === want && p.version === version)) counts.guessedRight++;
  // Right artifact and version, but a file name has no group: listed, never matched.
  else if (own.some((p) => p.name === artifact && p.version === version && !p.purl)) counts.fileNameOnly++;
  else if (own.length > 0) {
    counts.guessedWrong++;
    wrong.push(`${relative(root, file)}: ${own.map((p) => `${p.name}@${p.version} (${p.confidence})`).join(', ')}`);
  } else counts.missing++;
}
console.log(`${files} archives, ${(bytes / 1024 / 1024).toFixed(1)} MiB, analysed in ${ms.toFixed(0)} ms (${((bytes / 1024 / 1024) / (ms / 1000)).toFixed(0)} MiB/s)`);
console.log(JSON.stringify(counts));
for (const w of wrong.slice(0, 40)) console.log('  ' + w);
