/**
 * bench/report-formats: how long the SARIF, CycloneDX and Markdown writers take, and how big
 * their output is, for a large scan: the demo scan's report (run first with
 * `-o json=FILE`) scaled up to N images of 400 packages and 5 findings per package.
 *
 *   npx tsx bench/report-formats.ts [report.json] [images]
 */
import { readFileSync } from 'node:fs';
import type { ScanReport } from '../src/model/report.js';
import { renderCycloneDx } from '../src/report/cyclonedx.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderSarif } from '../src/report/sarif.js';

const [file = '/tmp/chartaudit-demo-report.json', n = '50'] = process.argv.slice(2);
const demo = JSON.parse(readFileSync(file, 'utf8')) as ScanReport;
const base = demo.images.find((i) => i.contents && i.contents.packages.length > 0)!;
const report: ScanReport = { ...demo, images: [], findings: [] };
for (let i = 0; i < Number(n); i++) {
  const ref = `registry.example/team/app${i}:1.0.${i}`;
  const packages = Array.from({ length: 400 }, (_, k) => ({ ...base.contents!.packages[k % base.contents!.packages.length]!, name: `pkg${k}`, purl: `pkg:deb/debian/pkg${k}@1.${k}?arch=amd64` }));
  report.images.push({ ...base, ref, repository: `team/app${i}`, registry: 'registry.example', tag: `1.0.${i}`, contents: { ...base.contents!, packages } });
  for (const p of packages) for (let v = 0; v < 5; v++) {
    report.findings.push({ ...demo.findings[v % demo.findings.length]!, id: `CVE-2024-${1000 + ((p.name.length * 31 + v) % 900)}`, image: ref, package: { ecosystem: 'Debian:12', name: p.name, version: p.version, purl: p.purl! } });
  }
}
const time = (name: string, f: () => string): void => {
  const t0 = performance.now();
  const text = f();
  console.log(`${name.padEnd(10)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${(text.length / 1024 / 1024).toFixed(1).padStart(6)} MiB`);
};
console.log(`${report.images.length} images, ${report.images.length * 400} packages, ${report.findings.length} findings`);
time('sarif', () => JSON.stringify(renderSarif(report)));
time('cyclonedx', () => JSON.stringify(renderCycloneDx(report)));
time('markdown', () => renderMarkdown(report));
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
