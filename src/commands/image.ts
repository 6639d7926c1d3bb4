/**
 * `chartaudit image <ref>`: one image from a registry, an OCI layout or a `docker save`
 * archive, resolved to one platform's manifest, each layer streamed once (checked against its
 * digests) through the package analysers, or its record taken from the per-layer result cache.
 */
import { join } from 'node:path';
import type { ImageReport, ReportImage } from '../model/report.js';
import { parseImageReference } from '../images/reference.js';
import { DB_FILE } from '../vuln/db/store.js';
import { dbDirOf } from './db-dir.js';
import { vulnerabilityStage, type VulnerabilityOptions } from './scan/vulnerabilities.js';
import { LayerResultStore } from '../cache/results.js';
import { ANALYSERS } from '../inventory/analysers/index.js';
import { contentsOf, endOfLifeWarning, inventoryGaps, inventoryImage } from '../inventory/index.js';
import { exists, type Env } from './context.js';
import { imageSources, sourceFor, type ImageSourceOptions } from './image-sources.js';

export interface ImageOptions extends ImageSourceOptions, Omit<VulnerabilityOptions, 'offline'> {
  ref: string;
  /** `os/arch[/variant]`, default linux/amd64. */
  platform: string;
  onWarning?: (message: string) => void;
}

export async function inspectImage(opts: ImageOptions, e: Env): Promise<ImageReport> {
  const sources = imageSources(opts, e);
  const image = await sourceFor(opts.ref, sources).resolve(opts.ref, { platform: opts.platform, offline: opts.offline });
  const inv = await inventoryImage(image, ANALYSERS, {
    store: new LayerResultStore({ env: e.env }),
    today: e.now,
    ...(opts.onWarning ? { onCacheError: opts.onWarning } : {}),
  });
  const eol = endOfLifeWarning(image.ref, inv.os);
  if (eol) opts.onWarning?.(eol);
  const contents = contentsOf(image, inv);
  const vulns = await matchImage(image.ref, { ...contents, from: image.origin }, opts, e);
  for (const w of vulns.warnings) opts.onWarning?.(w);
  return { ref: image.ref, ...contents, vulnerabilitySource: vulns.source, findings: vulns.findings, gaps: [...inventoryGaps(image.ref, inv), ...vulns.gaps] };
}

/**
 * The image's packages matched like a scan's: from the local database when there is one, from
 * the OSV API only with --online (an image command never reaches the network for advisories
 * unasked); otherwise a gap says the packages were not checked.
 */
async function matchImage(ref: string, contents: NonNullable<ReportImage['contents']>, opts: ImageOptions, e: Env) {
  let name: Pick<ReportImage, 'registry' | 'repository' | 'tag' | 'digest'>;
  try {
    const r = parseImageReference(ref);
    name = { registry: r.registry, repository: r.repository, tag: r.tag, digest: r.digest };
  } catch {
    name = { registry: '', repository: '', tag: null, digest: null }; // an archive: its contents say it all
  }
  const img: ReportImage = { ref, ...name, sources: [], contents };
  if (!opts.online && !exists(join(dbDirOf(opts.db, e), DB_FILE))) {
    const n = contents.packages.length;
    const gaps = n ? [{ scope: 'vulnerabilities', reason: `no vulnerability database in ${dbDirOf(opts.db, e)}: ${n} packages not checked (run chartaudit db update, or give --db, or --online for the OSV API)` }] : [];
    return { findings: [], gaps, warnings: [], source: null };
  }
  return vulnerabilityStage([img], { ...opts, offline: opts.offline }, e);
}

