/**
 * The package analysers, one module each (the files it wants, what it returns): adding one is a
 * new file and a line here. Their ids and versions are part of the per-layer cache key.
 */
import type { Analyser } from '../../model/stages.js';
import { apkAnalyser } from './apk.js';
import { bitnamiAnalyser } from './bitnami.js';
import { busyboxAnalyser } from './busybox.js';
import { cargoAuditableAnalyser } from './cargo-auditable.js';
import { composerAnalyser } from './composer.js';
import { dotnetAnalyser } from './dotnet.js';
import { dpkgAnalyser } from './dpkg.js';
import { gemAnalyser } from './gem.js';
import { gobinaryAnalyser } from './gobinary.js';
import { javaAnalyser } from './java.js';
import { npmAnalyser } from './npm.js';
import { osAnalyser } from './os.js';
import { pythonAnalyser } from './python.js';
import { rpmAnalyser } from './rpm.js';

export const ANALYSERS: readonly Analyser[] = [
  // the OS first: OS packages take their ecosystem from it
  osAnalyser,
  busyboxAnalyser,
  dpkgAnalyser,
  apkAnalyser,
  rpmAnalyser,
  gobinaryAnalyser,
  cargoAuditableAnalyser,
  javaAnalyser,
  npmAnalyser,
  pythonAnalyser,
  gemAnalyser,
  dotnetAnalyser,
  composerAnalyser,
  bitnamiAnalyser,
];
