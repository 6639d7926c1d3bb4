import { createRequire } from 'node:module';

/** The build's copy of package.json's version (scripts/build.mjs); absent when run from source. */
declare const __CHARTAUDIT_VERSION__: string | undefined;

/** The package version (kept in one place: package.json), without reading it in a built CLI. */
export const VERSION: string = typeof __CHARTAUDIT_VERSION__ === 'string'
  ? __CHARTAUDIT_VERSION__
  : (createRequire(import.meta.url)('../package.json') as { version: string }).version;
