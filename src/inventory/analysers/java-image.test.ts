/**
 * The java analyser inside the real inventory: an OCI layout read layer by layer (src/image),
 * merged with whiteouts (src/inventory/merge.ts). Packages of nested archives carry the image
 * file as their first path, so a later layer that rewrites or deletes the archive takes them
 * all away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeImage, writeOciLayout } from '../../../test/helpers/oci-image.js';
import { makeZip } from '../../../fixtures/vuln/zip-writer.js';
import { resolveArchive } from '../../image/providers.js';
import { inventoryImage } from '../index.js';
import { javaAnalyser } from './java.js';

const pom = (g: string, a: string, v: string) => ({ name: `META-INF/maven/${g}/${a}/pom.properties`, data: `groupId=${g}\nartifactId=${a}\nversion=${v}\n` });
const jar = (g: string, a: string, v: string) => makeZip([pom(g, a, v)]);
const war = (libs: Record<string, Buffer>) => makeZip(Object.entries(libs).map(([name, data]) => ({ name: `WEB-INF/lib/${name}`, data, method: 0 })));

describe('java analyser in the image inventory (OCI layout, two layers, whiteouts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartaudit-java-image-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a rewritten war replaces all its nested packages; a deleted jar takes its package away', async () => {
    const image = makeImage({
      layers: [
        {
          'app/lib/log4j-core-2.14.1.jar': jar('org.apache.logging.log4j', 'log4j-core', '2.14.1'),
          'app/lib/keep-1.0.jar': jar('com.example', 'keep', '1.0'),
          'app/app.war': war({ 'commons-text-1.9.jar': jar('org.apache.commons', 'commons-text', '1.9') }),
        },
        {
          'app/app.war': war({ 'commons-text-1.10.0.jar': jar('org.apache.commons', 'commons-text', '1.10.0') }),
          'app/lib/.wh.log4j-core-2.14.1.jar': '',
        },
      ],
    });
    writeOciLayout(join(dir, 'layout'), image.blobs, image.manifest, 'v1');
    const resolved = await resolveArchive(`oci-layout:${join(dir, 'layout')}:v1`, { platform: 'linux/amd64' });
    const inv = await inventoryImage(resolved, [javaAnalyser], { today: new Date('2026-12-05T00:00:00Z'), store: null });
    expect(inv.gaps).toEqual([]);
    const list = inv.packages.map((p) => `${p.name}@${p.version} ${p.paths.join(' > ')} layer${image.layers.findIndex((l) => l.digest === p.layer)}`).sort();
    expect(list).toEqual([
      'com.example:keep@1.0 /app/lib/keep-1.0.jar layer0',
      'org.apache.commons:commons-text@1.10.0 /app/app.war > /app/app.war/WEB-INF/lib/commons-text-1.10.0.jar layer1',
    ]);
    const text = inv.packages.find((p) => p.name === 'org.apache.commons:commons-text')!;
    expect(text).toMatchObject({ type: 'maven', ecosystem: 'Maven', purl: 'pkg:maven/org.apache.commons/commons-text@1.10.0', confidence: 'exact' });
  });
});
