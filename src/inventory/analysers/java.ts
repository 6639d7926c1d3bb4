/**
 * Java archives (jar, war, ear, …): the Maven packages each holds, nested archives included
 * (src/inventory/java/archive.ts). Pure: the layer's bytes in, packages and gaps out.
 */
import type { Analyser, AnalyserResult } from '../../model/stages.js';
import { isJavaArchiveName, JAVA_ARCHIVE_LIMITS, readJavaArchive } from '../java/archive.js';

/** Largest archive read whole: the biggest common jar (aws-java-sdk-bundle) is about 300 MiB. */
export const MAX_JAVA_ARCHIVE_BYTES = 512 * 1024 * 1024;

/**
 * Bytes read out of zip entries (inflated, or stored and checked) for all the Java archives of
 * one layer together: each file has its own limit (JAVA_ARCHIVE_LIMITS.maxInflatedBytes), and a
 * layer of many hostile files stops here, so one layer costs seconds at most. Real layers read
 * little: pom.properties, manifests and the occasional nested jar.
 */
export const MAX_JAVA_INFLATED_BYTES_PER_LAYER = 2048 * 1024 * 1024;

/** The analyser with its limits as parameters (tests run it with small ones). */
export function makeJavaAnalyser(maxFileBytes: number, maxInflatedPerLayer: number, limits = JAVA_ARCHIVE_LIMITS): Analyser {
  return {
    id: 'java',
    version: 1,
    wants: (path) => isJavaArchiveName(path),
    maxFileBytes,
    analyse(files): AnalyserResult {
      const result: AnalyserResult = { packages: [], gaps: [] };
      let layerLeft = maxInflatedPerLayer;
      for (const f of files) {
        if (f.content.length > maxFileBytes) {
          result.gaps.push({ path: f.path, reason: `Java archive of ${f.content.length} bytes is over the limit of ${maxFileBytes} bytes; not read` });
          continue;
        }
        if (layerLeft <= 0) {
          result.gaps.push({ path: f.path, reason: `not read: the Java archives of this layer reached the limit of ${maxInflatedPerLayer} bytes read from zip entries (zip bombs?)` });
          continue;
        }
        const layerBound = layerLeft < limits.maxInflatedBytes;
        const r = readJavaArchive(f.path, f.content, { ...limits, maxInflatedBytes: Math.min(limits.maxInflatedBytes, layerLeft) });
        layerLeft -= r.inflatedBytes;
        // Stopped by what the layer had left: the next files are not opened at all.
        if (r.budgetExhausted && layerBound) layerLeft = 0;
        result.packages.push(...r.packages);
        result.gaps.push(...r.gaps);
      }
      return result;
    },
  };
}

export const javaAnalyser: Analyser = makeJavaAnalyser(MAX_JAVA_ARCHIVE_BYTES, MAX_JAVA_INFLATED_BYTES_PER_LAYER);
