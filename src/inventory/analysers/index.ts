/**
 * The package analysers, one module each (the files it wants, what it returns): adding one is a
 * new file and a line here. Their ids and versions are part of the per-layer cache key.
 */
import type { Analyser } from '../../model/stages.js';

export const ANALYSERS: readonly Analyser[] = [];
