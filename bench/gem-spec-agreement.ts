/**
 * bench/gem-spec-agreement: the gem analyser, which reads gemspecs without running Ruby, against
 * RubyGems itself (`Gem::Specification.load` evaluates each file) on real installed specifications.
 *
 *   npx tsx bench/gem-spec-agreement.ts [DIR...]   (default: the specification dirs of Debian's ruby package)
 *
 * Every file under the DIRs is offered to `wants`; the wanted ones are analysed as one layer and
 * loaded by `ruby` (which must be installed: `apt-get install ruby`). Compares name, version and
 * platform per file, prints counts, differences and gaps; exit 1 on any difference.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gemAnalyser } from '../src/inventory/analysers/gem.js';
import type { ImageFile } from '../src/model/stages.js';

const dirs = process.argv.length > 2
  ? process.argv.slice(2)
  : ['/usr/lib/ruby/gems', '/usr/share/rubygems-integration', '/usr/lib/x86_64-linux-gnu/rubygems-integration'].filter((d) => existsSync(d));

const files: ImageFile[] = [];
for (const dir of dirs) {
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    const full = join(dir, rel);
    let st;
    try {
      st = statSync(full);
    } catch {
      continue;
    }
    if (!st.isFile() || !gemAnalyser.wants(full, { mode: st.mode & 0o7777, size: st.size })) continue;
    const content = readFileSync(full);
    files.push({ path: full, layer: 'bench', size: content.length, content });
  }
}
const t0 = performance.now();
const result = gemAnalyser.analyse(files);
const ms = performance.now() - t0;
const ours = new Map(result.packages.map((p) => [p.paths[0]!, `${p.name} ${p.version}${/platform=([^&]+)/.exec(p.purl ?? '')?.[1] ? ' ' + decodeURIComponent(/platform=([^&]+)/.exec(p.purl!)![1]!) : ''}`]));

const script = `ARGV.each { |f| s = Gem::Specification.load(f); puts "#{f}\\t#{s ? [s.name, s.version.to_s, (s.platform.to_s == 'ruby' ? nil : s.platform.to_s)].compact.join(' ') : 'LOAD-FAILED'}" }`;
const rb = spawnSync('ruby', ['-e', script, ...files.map((f) => f.path)], { encoding: 'utf8', maxBuffer: 64 << 20 });
if (rb.status !== 0) throw new Error(`ruby failed (is it installed?): ${rb.stderr || rb.error}`);
const theirs = new Map(rb.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t') as [string, string]));

let agree = 0;
const lines: string[] = [];
for (const f of files) {
  const a = ours.get(f.path) ?? '(none)';
  const b = theirs.get(f.path) ?? '(none)';
  if (a === b) agree++;
  else lines.push(`  ${f.path}: chartaudit ${a} | RubyGems ${b}`);
}
console.log(`${dirs.join(', ')}: ${files.length} gemspecs read in ${ms.toFixed(1)} ms; agree on ${agree}`);
for (const l of lines) console.log(l);
for (const g of result.gaps) console.log(`  gap: ${g.path}: ${g.reason}`);
process.exitCode = lines.length === 0 ? 0 : 1;
