/**
 * rpm packages as the inventory reports them. `version` is `version-release` without the epoch
 * (FoundPackage's contract), the epoch kept apart; the source package comes from SOURCERPM.
 * AlmaLinux and Rocky OSV records key binary package names and spell versions as
 * `[epoch:]version-release`, the epoch only when it is not 0 (../shared/osv/real-mixed.zip: 380
 * AlmaLinux range events carry one, `1:3.0.1-43.el9_0` for openssl, none writes `0:`):
 * `rpmOsvVersion` builds that key. Purls need the image's OS: src/inventory/os/purl.ts.
 */
import type { FoundPackage } from '../../model/stages.js';
import { splitSourceRpm, type RpmHeader } from './header.js';

/** The fields a package needs, from a header or a container manifest line. */
export type RpmFields = Pick<RpmHeader, 'name' | 'version' | 'release' | 'epoch' | 'arch' | 'sourceRpm'>;

export function rpmPackage(h: RpmFields, path: string): FoundPackage {
  const pkg: FoundPackage = {
    type: 'rpm',
    name: h.name,
    version: h.release === '' ? h.version : `${h.version}-${h.release}`,
    paths: [path],
    confidence: 'exact',
  };
  if (h.epoch !== undefined) pkg.epoch = h.epoch;
  if (h.release !== '') pkg.release = h.release;
  if (h.arch !== undefined) pkg.arch = h.arch;
  const src = h.sourceRpm === undefined ? null : splitSourceRpm(h.sourceRpm);
  if (src) pkg.source = { name: src.name, version: `${src.version}-${src.release}` };
  return pkg;
}

/** The version as AlmaLinux/Rocky OSV records spell it: `epoch:version-release`, the epoch only when not 0. */
export function rpmOsvVersion(p: Pick<FoundPackage, 'version' | 'epoch'>): string {
  return p.epoch ? `${p.epoch}:${p.version}` : p.version;
}
