import { createRequire } from 'node:module';

/** The package version, read once from package.json (kept in one place). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
