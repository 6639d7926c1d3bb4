/**
 * One layer's inventory: every analyser offered the layer's files, each handed the ones it wants,
 * its result kept with the paths it read so that a later layer can override or delete them.
 * This record is what the per-layer cache holds (key: layer digest + analyser versions).
 */
import type { Analyser, AnalyserResult, FoundOs, FoundPackage, ImageFile, ResolvedImage } from '../model/stages.js';

/** Everything the merge needs from one layer. */
export interface LayerRecord {
  /** Paths this layer deletes from the layers below (`.wh.<name>`). */
  whiteouts: string[];
  /** Directories whose lower-layer children this layer hides (`.wh..wh..opq`). */
  opaqueDirs: string[];
  /** Every path some analyser read in this layer, or could have read (a file too small or not executable now): it replaces what lower layers had there. */
  read: string[];
  packages: FoundPackage[];
  os: { paths: string[]; os: FoundOs } | null;
  gaps: { path: string; reason: string }[];
  entries: number;
}

/** Cache key part: which analysers at which versions made the record. */
export function analyserSignature(analysers: readonly Analyser[]): string {
  return analysers.map((a) => `${a.id}@${a.version}`).sort().join(',');
}

/** The probe for "could an analyser want a file at this path at all" (mode and size aside). */
const ANY_MODE_AND_SIZE = { mode: 0o755, size: 1 << 20 };

/** Bytes of wanted files held at once for analysers that read several files together. */
export const MAX_HELD_BYTES = 512 * 2 ** 20;

export async function analyseLayer(image: ResolvedImage, index: number, analysers: readonly Analyser[]): Promise<LayerRecord> {
  const layer = image.layers[index]!.digest;
  const filesOf = new Map<Analyser, ImageFile[]>();
  const record: LayerRecord = { whiteouts: [], opaqueDirs: [], read: [], packages: [], os: null, gaps: [], entries: 0 };
  const wantersOf = new Map<string, Analyser[]>();
  let held = 0;
  const take = (a: Analyser, files: ImageFile[]): void => {
    let result: AnalyserResult;
    try {
      result = a.analyse(files);
    } catch (err) {
      // An analyser must not throw on bad bytes; if one does, the files it had are a gap, not the image.
      const why = err instanceof Error ? err.message : String(err);
      record.gaps.push(...files.map((f) => ({ path: f.path, reason: `the ${a.id} analyser failed: ${why}` })));
      return;
    }
    // one by one: a spread of a very large result would overflow the call's argument list
    for (const p of result.packages) record.packages.push(p);
    for (const g of result.gaps) record.gaps.push(g);
    if (result.os) record.os = { paths: files.map((f) => f.path), os: result.os };
  };
  record.entries = await image.readLayer(index, {
    choose(path, entry) {
      const wantedBy = analysers.filter((a) => a.wants(path, entry));
      if (wantedBy.length === 0) {
        // A file no analyser wants now may still replace one a lower layer's analyser read (a Go
        // binary overwritten by a small wrapper script): its path must hide what was found below.
        if (analysers.some((a) => a.wants(path, ANY_MODE_AND_SIZE))) record.read.push(path);
        return false;
      }
      wantersOf.set(path, wantedBy);
      return Math.max(...wantedBy.map((a) => a.maxFileBytes));
    },
    file(path, content, entry) {
      const file: ImageFile = { path, layer, size: entry.size, content };
      record.read.push(path);
      for (const a of wantersOf.get(path) ?? []) {
        if (content.length > a.maxFileBytes) {
          record.gaps.push({ path, reason: `larger than the ${a.id} analyser reads (${content.length} bytes); not analysed` });
          continue;
        }
        // Per-file analysers see each file now, and its bytes are not kept.
        if (a.perFile) {
          take(a, [file]);
          continue;
        }
        if (held + content.length > MAX_HELD_BYTES) {
          record.gaps.push({ path, reason: `not analysed by ${a.id}: the layer's files for it pass ${MAX_HELD_BYTES / 2 ** 20} MiB` });
          continue;
        }
        held += content.length;
        let list = filesOf.get(a);
        if (!list) filesOf.set(a, (list = []));
        list.push(file);
      }
      wantersOf.delete(path);
    },
    skip(path, reason) {
      record.read.push(path);
      record.gaps.push({ path, reason });
      wantersOf.delete(path);
    },
    whiteout(path) {
      record.whiteouts.push(path);
    },
    opaque(dir) {
      record.opaqueDirs.push(dir);
    },
  });
  for (const a of analysers) {
    const files = filesOf.get(a);
    if (files && files.length > 0 && !a.perFile) take(a, files);
  }
  return record;
}
