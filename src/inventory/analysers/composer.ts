/**
 * PHP packages installed by Composer, from `vendor/composer/installed.json`: Composer 1 writes
 * a bare array of packages, Composer 2 `{"packages": [...], "dev": …, "dev-package-names": […]}`
 * (https://getcomposer.org/doc/07-runtime.md#installed-versions). Packages installed for
 * development are in the image too, so they are reported as well. The version is kept as
 * Composer wrote it (`v1.8.1`, as Syft does); Packagist advisories compare it.
 */
import type { Analyser, FoundPackage, ImageFile } from '../../model/stages.js';
import { isPlainToken, isRecord, parseJson, readEach, shortText, stringField, type FileReading } from '../lang/per-file.js';
import { formatPurl } from '../lang/purl.js';

/** `vendor/name`, as Composer's schema allows (upper case tolerated: old packages have it). */
const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** A big application's installed.json is a few MiB. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export function readInstalledJson(file: ImageFile): FileReading {
  const parsed = parseJson(file.content);
  if (!parsed.ok) return { packages: [], problems: [parsed.reason] };
  const doc = parsed.value;
  const list = Array.isArray(doc) ? doc : isRecord(doc) ? doc.packages : undefined;
  if (!Array.isArray(list)) return { packages: [], problems: ['neither a list of packages (Composer 1) nor {"packages": [...]} (Composer 2)'] };
  const packages: FoundPackage[] = [];
  const problems: string[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isRecord(entry)) {
      problems.push(`entry ${i} is not an object`);
      continue;
    }
    const name = stringField(entry, 'name');
    const version = stringField(entry, 'version');
    if (name === undefined || !PACKAGE_NAME.test(name) || name.length > 256) {
      problems.push(`entry ${i}: name ${JSON.stringify(shortText(name ?? ''))} is not vendor/package`);
      continue;
    }
    if (version === undefined || !isPlainToken(version)) {
      problems.push(`${name}: no usable version`);
      continue;
    }
    const slash = name.indexOf('/');
    packages.push({
      type: 'composer',
      ecosystem: 'Packagist',
      name,
      version,
      // The composer purl type lower-cases vendor and name.
      purl: formatPurl({ type: 'composer', namespace: name.slice(0, slash).toLowerCase(), name: name.slice(slash + 1).toLowerCase(), version }),
      paths: [file.path],
      confidence: 'exact',
    });
  }
  return { packages, problems };
}

export const composerAnalyser: Analyser = {
  id: 'composer',
  version: 1,
  maxFileBytes: MAX_FILE_BYTES,
  wants(path) {
    return path.endsWith('/vendor/composer/installed.json');
  },
  analyse(files) {
    return readEach(files, MAX_FILE_BYTES, readInstalledJson);
  },
};
