/**
 * Java archives (jar, war, ear, …): the Maven packages each holds, nested archives included
 * (src/inventory/java/archive.ts). Pure: the layer's bytes in, packages and gaps out.
 */
import type { Analyser, AnalyserResult } from '../../model/stages.js';
import { isJavaArchiveName, JAVA_ARCHIVE_LIMITS, readJavaArchive } from '../java/archive.js';

/** Largest archive read whole: the biggest common jar (aws-java-sdk-bundle) is about 300 MiB. */
const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;

export const javaAnalyser: Analyser = {
  id: 'java',
  version: 1,
  wants: (path) => isJavaArchiveName(path),
  maxFileBytes: MAX_ARCHIVE_BYTES,
  analyse(files): AnalyserResult {
    const result: AnalyserResult = { packages: [], gaps: [] };
    for (const f of files) {
      if (f.content.length > MAX_ARCHIVE_BYTES) {
        result.gaps.push({ path: f.path, reason: `Java archive of ${f.content.length} bytes is over the limit of ${MAX_ARCHIVE_BYTES} bytes; not read` });
        continue;
      }
      const r = readJavaArchive(f.path, f.content, JAVA_ARCHIVE_LIMITS);
      result.packages.push(...r.packages);
      result.gaps.push(...r.gaps);
    }
    return result;
  },
};
