/** `chartaudit image`'s table: the resolved image, its config facts and its layers. */
import { Chalk } from 'chalk';
import type { ImageReport } from '../model/report.js';
import type { RenderOptions } from './types.js';
import { wrap } from './wrap.js';
import { formatBytes } from './units.js';
import { findingLines } from './table.js';


export function renderImageReport(r: ImageReport, opts: RenderOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const label = (l: string) => c.bold(l.padEnd(10));
  const out = [
    ...wrap(r.ref, opts.width, label('Image'), ' '.repeat(10)),
    11 + r.digest.length <= opts.width ? `${label('Digest')}${r.digest}` : `${c.bold('Digest')}\n  ${r.digest}`,
    `${label('Platform')}${r.platform}`,
    `${label('User')}${r.config.user || 'not set (runs as root unless the pod says otherwise)'}`,
    `${label('Created')}${r.config.created ?? 'unknown'}`,
    `${label('OS')}${osLine(r)}`,
    '',
    c.bold(`Layers (${r.layers.length}, ${formatBytes(r.layers.reduce((a, l) => a + l.size, 0))}), each checked against its digest`),
    // Whole digests, never cut: the size and type on a line of their own.
    ...r.layers.flatMap((l, i) => [`  ${String(i + 1).padStart(2)}. ${l.digest}`, `      ${formatBytes(l.size)}, ${l.mediaType.replace(/^application\/vnd\.(oci\.image|docker\.image\.rootfs)\.(layer\.v1\.|diff\.)?/, '')}`]),
  ];
  if (r.packages.length) out.push('', ...packageLines(r.packages, c));
  if (r.vulnerabilitySource || r.findings.length) {
    const open = r.findings.filter((f) => f.state === 'open').length;
    out.push('', c.bold(`Vulnerabilities (${open} open)`), ...findingLines(r, c, opts.width, true));
  }
  if (r.gaps.length) {
    out.push('', c.bold('Not examined'));
    for (const g of r.gaps) out.push(...wrap(g.reason, opts.width, `  ${c.yellow('!')} `, '    '));
  }
  return `${out.join('\n')}\n`;
}

function osLine(r: ImageReport): string {
  if (!r.os) return 'none found (no os-release: scratch, or an unknown distribution)';
  const eol = r.os.endOfLife ? (r.os.endOfLifePassed ? ` (end of life since ${r.os.endOfLife})` : ` (supported until ${r.os.endOfLife})`) : '';
  return `${r.os.name}${r.os.variant ? `, ${r.os.variant}` : ''}${eol}`;
}

/** Packages by type, one per line: type, name, version (the layer and paths are in the JSON). */
export function packageLines(packages: ImageReport['packages'], c: InstanceType<typeof Chalk>): string[] {
  const sorted = [...packages].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const typeWidth = Math.max(...sorted.map((p) => p.type.length));
  const nameWidth = Math.min(40, Math.max(...sorted.map((p) => p.name.length)));
  return [
    c.bold(`Packages (${packages.length})`),
    ...sorted.map((p) => `  ${p.type.padEnd(typeWidth)}  ${p.name.padEnd(nameWidth)}  ${p.version}${p.confidence === 'guessed' ? ' (guessed)' : ''}`),
  ];
}
