/**
 * undici, loaded at its first use: requiring it takes 130–160 ms (measured with Node 20 on the
 * CI machine), and offline scans, renders and image pulls never need it.
 */
import { createRequire } from 'node:module';

type Undici = typeof import('undici');
let loaded: Undici | undefined;

export function undici(): Undici {
  return (loaded ??= createRequire(import.meta.url)('undici') as Undici);
}
