/**
 * Go's %q, one port (src/render/template/strconv.ts quote) used by the chart loader's messages
 * and the --kube-version errors: compared with the reference helm on versions that need Go's
 * escapes (\a, \x.., \u.. for non-printable runes such as U+00AD and U+200B), where
 * JSON.stringify and a printable-ASCII approximation differ.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseKubeVersion } from '../src/render/capabilities.js';
import { helm } from './helpers/helm.js';

const dir = mkdtempSync(join(tmpdir(), 'go-quote-'));
mkdirSync(join(dir, 'c', 'templates'), { recursive: true });
writeFileSync(join(dir, 'c', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 1.0.0\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const versions = [
  'v1\u0007\u00ad', // BEL is \a; a soft hyphen is not printable in Go
  'v01.2\u200b', // zero-width space
  'v1.x\u0001\u007f', // \x01 and \x7f
  'v1 "é" \\ \t', // quote, backslash, tab; é is printable
  '\u{1F600}.1', // astral, printable
  'v1\u2028', // line separator: \u2028
];

describe('goQuote is Go\'s %q (kube version errors as helm words them)', () => {
  for (const v of versions) {
    it(JSON.stringify(v), () => {
      const r = helm(['template', join(dir, 'c'), '--kube-version', v]);
      expect(r.status).toBe(1);
      let ours = '';
      try {
        parseKubeVersion(v);
      } catch (e) {
        ours = (e as Error).message;
      }
      expect(`Error: ${ours}\n`).toBe(r.stderr);
    });
  }
});
