/**
 * Alpine, Wolfi and Chainguard packages from apk's database (src/inventory/apk/parse.ts), at both
 * places apk-tools keeps it: `/lib/apk/db/installed` and, with apk-tools 3's /usr layout,
 * `/usr/lib/apk/db/installed` (Trivy reads both). Ecosystem and purl come later from the image's OS.
 */
import type { Analyser } from '../../model/stages.js';
import { parseApkInstalled } from '../apk/parse.js';
import { readEach } from '../lang/per-file.js';

const DATABASES = new Set(['/lib/apk/db/installed', '/usr/lib/apk/db/installed']);
/** An Alpine image with a thousand packages and their file lists is a few MiB. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export const apkAnalyser: Analyser = {
  id: 'apk',
  version: 1,
  wants: (path) => DATABASES.has(path),
  maxFileBytes: MAX_FILE_BYTES,
  analyse: (files) => readEach(files, MAX_FILE_BYTES, (file) => parseApkInstalled(file.content, file.path)),
};
