/**
 * Python distributions installed in an image, from their core metadata: `*.dist-info/METADATA`
 * (wheels, pip), `*.egg-info/PKG-INFO` and `*.egg-info` files (setuptools), `EGG-INFO/PKG-INFO`
 * (unzipped eggs) — the files Trivy's and Syft's Python catalogers read. Zipped `.egg` files are
 * not opened (rare in images; listed in the report as not covered).
 *
 * The name is reported PEP 503-normalised (`Unidecode` → `unidecode`, `zope.interface` →
 * `zope-interface`): that is how OSV's PyPI records and the pypi purl type write it, and matching
 * compares names exactly. The version is kept as written; the PEP 440 scheme normalises it.
 * Packages a distribution's package manager installed (Debian's python3-* under dist-packages)
 * are found here too; telling them apart by file ownership is the inventory's merge step.
 */
import type { Analyser, ImageFile } from '../../model/stages.js';
import { readCoreMetadataHeaders } from '../lang/core-metadata.js';
import { fileText, isPlainToken, readEach, shortText, type FileReading } from '../lang/per-file.js';
import { formatPurl, pep503Name } from '../lang/purl.js';

const METADATA_FILE = /(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|\.egg-info|\/EGG-INFO\/PKG-INFO)$/;

/** PEP 508 distribution name. */
const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Long descriptions live in the same file; the largest on PyPI are a few MiB. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export function readPythonMetadata(file: ImageFile): FileReading {
  const headers = readCoreMetadataHeaders(fileText(file.content));
  const name = headers.get('name');
  const version = headers.get('version');
  if (!name || !version) {
    return { packages: [], problems: [`no ${!name ? 'Name' : 'Version'} header: not Python package metadata`] };
  }
  if (name.length > 256 || !PROJECT_NAME.test(name)) return { packages: [], problems: [`Name ${JSON.stringify(shortText(name))} is not a Python project name`] };
  if (!isPlainToken(version)) return { packages: [], problems: [`Version ${JSON.stringify(shortText(version))} of ${name} is not a version`] };
  const normalised = pep503Name(name);
  return {
    packages: [
      {
        type: 'pypi',
        ecosystem: 'PyPI',
        name: normalised,
        version,
        purl: formatPurl({ type: 'pypi', name: normalised, version }),
        paths: [file.path],
        confidence: 'exact',
      },
    ],
    problems: [],
  };
}

export const pythonAnalyser: Analyser = {
  id: 'python',
  version: 1,
  maxFileBytes: MAX_FILE_BYTES,
  wants(path) {
    // Called for every file of every layer: a cheap suffix test before the pattern.
    return (path.endsWith('METADATA') || path.endsWith('PKG-INFO') || path.endsWith('.egg-info')) && METADATA_FILE.test(path);
  },
  analyse(files) {
    return readEach(files, MAX_FILE_BYTES, readPythonMetadata);
  },
};
