/**
 * bench/python-metadata-agreement: the python analyser against Python's own reader of installed
 * metadata (importlib.metadata) on a real site-packages directory, both directions.
 *
 *   npx tsx bench/python-metadata-agreement.ts [DIR]   (default /usr/lib/python3/dist-packages)
 *
 * Every file under DIR is offered to `wants`; the wanted ones are analysed as one layer.
 * Python is run isolated (-I) on the same DIR; names are PEP 503-normalised on both sides.
 * Prints the counts, the differences, and the analyser's gaps; exit 1 on any difference.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pythonAnalyser } from '../src/inventory/analysers/python.js';
import type { ImageFile } from '../src/model/stages.js';

const dir = process.argv[2] ?? '/usr/lib/python3/dist-packages';
const MAX_ENTRIES = 500_000;

const files: ImageFile[] = [];
let walked = 0;
for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
  if (++walked > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} entries under ${dir}`);
  const full = join(dir, rel);
  let st;
  try {
    st = statSync(full);
  } catch {
    continue;
  }
  if (!st.isFile() || !pythonAnalyser.wants(full, { mode: st.mode & 0o7777, size: st.size })) continue;
  const content = readFileSync(full);
  files.push({ path: full, layer: 'bench', size: content.length, content });
}
const t0 = performance.now();
const result = pythonAnalyser.analyse(files);
const ms = performance.now() - t0;
const ours = new Set(result.packages.map((p) => `${p.name} ${p.version}`));

const script = [
  'import importlib.metadata as m, re, sys',
  'for d in m.distributions(path=[sys.argv[1]]):',
  "  n = d.metadata['Name']",
  "  if n: print(re.sub(r'[-_.]+', '-', n).lower(), d.version)",
].join('\n');
const py = spawnSync('python3', ['-I', '-c', script, dir], { encoding: 'utf8' });
if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
const theirs = new Set(py.stdout.split('\n').filter((l) => l !== ''));

const onlyOurs = [...ours].filter((x) => !theirs.has(x)).sort();
const onlyTheirs = [...theirs].filter((x) => !ours.has(x)).sort();
console.log(`${dir}: ${walked} entries walked, ${files.length} metadata files read in ${ms.toFixed(1)} ms`);
console.log(`python analyser: ${ours.size} distributions; importlib.metadata: ${theirs.size}; agree on ${[...ours].filter((x) => theirs.has(x)).length}`);
for (const x of onlyOurs) console.log(`  only chartaudit: ${x}`);
for (const x of onlyTheirs) console.log(`  only importlib:  ${x}`);
for (const g of result.gaps) console.log(`  gap: ${g.path}: ${g.reason}`);
process.exitCode = onlyOurs.length + onlyTheirs.length === 0 ? 0 : 1;
