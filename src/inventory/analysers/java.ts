/**
 * Java archives (jar, war, ear, …): the Maven packages each holds, nested archives included
 * (src/inventory/java/archive.ts). Pure: the layer's bytes in, packages and gaps out.
 */
import type { Analyser, AnalyserResult } from '../../model/stages.js';
import { isJavaArchiveName, JAVA_ARCHIVE_LIMITS, readJavaArchive } from '../java/archive.js';
import type { JavaArchiveLimits } from '../java/archive.js';

export interface JavaAnalyserLimits {
  /** Largest archive read whole. */
  maxFileBytes: number;
  /**
   * Bytes read out of zip entries (inflated, or stored and checked) for all the Java archives of
   * one layer together: each file has its own limit (`archive.maxInflatedBytes`), and a layer of
   * many hostile files stops here.
   */
  maxReadBytesPerLayer: number;
  /** Packages listed for one layer (each shaded jar may list thousands). */
  maxPackagesPerLayer: number;
  archive: JavaArchiveLimits;
}

/**
 * The biggest common jar (aws-java-sdk-bundle, in Spark and Hadoop images) is about 300 MiB.
 * Real layers read little from entries (pom.properties, manifests, the occasional nested jar)
 * and list a few thousand packages at most (Spark's jars: about 250 files, one or two each).
 */
export const JAVA_ANALYSER_LIMITS: JavaAnalyserLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxReadBytesPerLayer: 2048 * 1024 * 1024,
  maxPackagesPerLayer: 50_000,
  archive: JAVA_ARCHIVE_LIMITS,
};

/** The analyser with its limits as parameters (tests run it with small ones). */
export function makeJavaAnalyser(limits: JavaAnalyserLimits): Analyser {
  return {
    id: 'java',
    version: 1,
    wants: (path) => isJavaArchiveName(path),
    maxFileBytes: limits.maxFileBytes,
    // Each archive stands alone: the inventory hands them over one by one and keeps no bytes
    // (the per-layer limits then bound each archive's work).
    perFile: true,
    analyse(files): AnalyserResult {
      const result: AnalyserResult = { packages: [], gaps: [] };
      let readLeft = limits.maxReadBytesPerLayer;
      for (const f of files) {
        if (f.content.length > limits.maxFileBytes) {
          result.gaps.push({ path: f.path, reason: `Java archive of ${f.content.length} bytes is over the limit of ${limits.maxFileBytes} bytes; not read` });
          continue;
        }
        if (readLeft <= 0) {
          result.gaps.push({ path: f.path, reason: `not read: the Java archives of this layer reached the limit of ${limits.maxReadBytesPerLayer} bytes read from zip entries (zip bombs?)` });
          continue;
        }
        if (result.packages.length >= limits.maxPackagesPerLayer) {
          result.gaps.push({ path: f.path, reason: `not read: the Java archives of this layer already listed ${limits.maxPackagesPerLayer} packages` });
          continue;
        }
        const layerBound = readLeft < limits.archive.maxInflatedBytes;
        const r = readJavaArchive(f.path, f.content, { ...limits.archive, maxInflatedBytes: Math.min(limits.archive.maxInflatedBytes, readLeft) });
        readLeft -= r.inflatedBytes;
        // Stopped by what the layer had left: the next files are not opened at all.
        if (r.budgetExhausted && layerBound) readLeft = 0;
        const room = limits.maxPackagesPerLayer - result.packages.length;
        for (const p of r.packages.slice(0, room)) result.packages.push(p);
        if (r.packages.length > room) result.gaps.push({ path: f.path, reason: `${r.packages.length - room} of its packages not listed: the Java archives of this layer reached the limit of ${limits.maxPackagesPerLayer} packages` });
        for (const g of r.gaps) result.gaps.push(g);
      }
      return result;
    },
  };
}

export const javaAnalyser: Analyser = makeJavaAnalyser(JAVA_ANALYSER_LIMITS);
