/**
 * CBL-Mariner / Azure Linux distroless images carry no rpmdb, only
 * `/var/lib/rpmmanifest/container-manifest-2`: one package a line, ten tab-separated fields
 * NAME, VERSION-RELEASE, INSTALLTIME, BUILDTIME, VENDOR, EPOCH (`(none)` when unset), SIZE,
 * ARCH, EPOCHNUM, SOURCERPM (syft `redhat/parse_rpm_manifest.go`, its testdata).
 */
import { DEFAULT_BLOB_LIMITS, ProblemList, type BlobLimits } from './blobs.js';
import type { RpmFields } from './package.js';

export function readRpmManifest(text: string, limits: BlobLimits = DEFAULT_BLOB_LIMITS): { packages: RpmFields[]; problems: string[] } {
  const problems = new ProblemList(limits.maxProblems);
  const packages: RpmFields[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const f = line.split('\t');
    const [name, evr, , , , epoch, , arch, , sourceRpm] = f;
    if (f.length < 10 || !name || !evr) {
      problems.add(`line ${i + 1}: ${f.length} tab-separated fields, expected 10 with a name and a version`);
      continue;
    }
    if (packages.length >= limits.maxPackages) {
      problems.add(`more than ${limits.maxPackages} packages: the rest is not read`);
      break;
    }
    const dash = evr.lastIndexOf('-');
    const pkg: RpmFields = { name, version: dash > 0 ? evr.slice(0, dash) : evr, release: dash > 0 ? evr.slice(dash + 1) : '' };
    if (epoch && epoch !== '(none)') {
      if (!/^\d{1,9}$/.test(epoch)) {
        problems.add(`line ${i + 1}: epoch ${JSON.stringify(epoch.slice(0, 20))} is not a number`);
        continue;
      }
      pkg.epoch = Number(epoch);
    }
    if (arch && arch !== '(none)') pkg.arch = arch;
    if (sourceRpm && sourceRpm !== '(none)') pkg.sourceRpm = sourceRpm;
    packages.push(pkg);
  }
  return { packages, problems: problems.list() };
}
