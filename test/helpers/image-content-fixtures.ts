/**
 * The image-content fixtures in ../shared/testdata/images with what each peer's test expects
 * (expected.json), turned into what an analyser receives: ImageFile objects with absolute image
 * paths. Fixtures with a `root` are rootfs trees (the path under the root is the image path);
 * flat fixtures (node/package.json…) are placed at an image path the test chooses.
 */
import { readFileSync } from 'node:fs';
import type { ImageFile } from '../../src/model/stages.js';
import { sharedPath } from './shared.js';

export interface PeerExpectation {
  from: { repo: string; file: string; test: string };
  packages?: Record<string, unknown>[];
  package?: Record<string, unknown>;
  error?: boolean | string;
  [key: string]: unknown;
}

export interface ImageFixture {
  path: string;
  root?: string;
  kind: string;
  notes?: string;
  expectations: PeerExpectation[];
}

let cache: ImageFixture[] | undefined;

export function imageFixtures(): ImageFixture[] {
  cache ??= (JSON.parse(readFileSync(sharedPath('testdata', 'images', 'expected.json'), 'utf8')) as { fixtures: ImageFixture[] }).fixtures;
  return cache;
}

/** The fixtures whose path starts with `dir/` (e.g. `bitnami-spdx`). */
export function fixturesUnder(dir: string): ImageFixture[] {
  return imageFixtures().filter((f) => f.path.startsWith(dir + '/'));
}

export const TEST_LAYER = 'sha256:' + '0'.repeat(64);

/** An ImageFile with the fixture's bytes; `imagePath` defaults to the path under the fixture's root. */
export function fixtureFile(fixture: Pick<ImageFixture, 'path' | 'root'>, imagePath?: string): ImageFile {
  const content = readFileSync(sharedPath('testdata', 'images', ...fixture.path.split('/')));
  let path = imagePath;
  if (path === undefined) {
    if (!fixture.root) throw new Error(`fixture ${fixture.path} has no root: give its image path`);
    path = fixture.path.slice(fixture.root.length);
  }
  return { path, layer: TEST_LAYER, size: content.length, content };
}

/** An ImageFile made in the test (hostile inputs). */
export function madeFile(path: string, content: string | Buffer): ImageFile {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { path, layer: TEST_LAYER, size: buf.length, content: buf };
}
