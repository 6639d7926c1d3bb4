/**
 * npm packages installed in an image: the `package.json` at the root of each package under a
 * `node_modules` directory (`…/node_modules/name/package.json`,
 * `…/node_modules/@scope/name/package.json`, nested and pnpm `.pnpm/…/node_modules` trees alike).
 *
 * Deliberately not read, where Trivy's and Syft's image catalogers take every `package.json`:
 * - the application's own `package.json` (`/app/package.json`): the app is not a registry
 *   package, and its name can be any registry name, which would match someone else's advisories;
 * - `package.json` files below a package's root (`node_modules/rxjs/ajax/package.json`): module
 *   entry points without a version, not packages (Trivy's `IsPackageRoot` drops them too).
 * Lockfiles are the source-repository case; in an image, what is installed is what runs.
 */
import type { Analyser, FoundPackage, ImageFile } from '../../model/stages.js';
import { formatPurl } from '../lang/purl.js';
import { isPlainToken, isRecord, parseJson, readEach, shortText, stringField, type FileReading } from '../lang/per-file.js';

/** What follows the last `/node_modules/` of a package root's manifest path. */
const PACKAGE_ROOT_MANIFEST = /^(?:@[^/.][^/]*\/[^/.][^/]*|[^/.@][^/]*)\/package\.json$/;

/**
 * npm's naming rule (validate-npm-package-name): URL-safe characters, an optional `@scope/`,
 * at most 214 characters. Upper case is allowed: old packages (JSONStream) still have it.
 */
const NPM_NAME = /^(?:@[A-Za-z0-9~-][A-Za-z0-9._~-]*\/)?[A-Za-z0-9~-][A-Za-z0-9._~-]*$/;

/** Installed manifests carry the readme on old npm versions; a few MiB covers the largest. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export function isPackageRootManifest(path: string): boolean {
  const at = path.lastIndexOf('/node_modules/');
  return at >= 0 && PACKAGE_ROOT_MANIFEST.test(path.slice(at + '/node_modules/'.length));
}

/** The package a `package.json` names, or why it names none. */
export function readPackageJson(file: ImageFile): FileReading {
  const parsed = parseJson(file.content);
  if (!parsed.ok) return { packages: [], problems: [parsed.reason] };
  if (!isRecord(parsed.value)) return { packages: [], problems: ['not a JSON object'] };
  const name = stringField(parsed.value, 'name');
  const version = stringField(parsed.value, 'version');
  // Without both it is no installed package (test fixtures inside packages, workspace stubs):
  // nothing to match, and not a gap either, as in Trivy, else --fail-on-gaps would trip on them.
  if (name === undefined || version === undefined) return { packages: [], problems: [] };
  if (name.length > 214 || !NPM_NAME.test(name)) return { packages: [], problems: [`name ${JSON.stringify(shortText(name))} is not a valid npm package name`] };
  if (!isPlainToken(version)) return { packages: [], problems: [`version ${JSON.stringify(shortText(version))} of ${name} is not a version`] };
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const pkg: FoundPackage = {
    type: 'npm',
    ecosystem: 'npm',
    name,
    version,
    // The npm purl type lower-cases scope and name; OSV keeps the name as published.
    purl: formatPurl({
      type: 'npm',
      namespace: slash > 0 ? name.slice(0, slash).toLowerCase() : null,
      name: (slash > 0 ? name.slice(slash + 1) : name).toLowerCase(),
      version,
    }),
    paths: [file.path],
    confidence: 'exact',
  };
  return { packages: [pkg], problems: [] };
}

export const npmAnalyser: Analyser = {
  id: 'npm',
  version: 1,
  maxFileBytes: MAX_FILE_BYTES,
  wants(path) {
    return path.endsWith('/package.json') && isPackageRootManifest(path);
  },
  analyse(files) {
    return readEach(files, MAX_FILE_BYTES, readPackageJson);
  },
};
