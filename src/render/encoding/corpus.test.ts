/**
 * toYaml / toJson / toToml / toYamlPretty of `.Values` for every values.yaml of the bitnami corpus, against
 * hashes of the reference helm's output (corpus-expected.json, from __fixtures__/generate.ts).
 * Values are loaded with src/chart/yaml.ts (helm's loader semantics). Fails without the corpus (../shared).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadValues } from '../../chart/yaml.js';
import { fromJS } from '../template/value.js';
import { readChartValues } from './__fixtures__/corpus.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { toJson, toToml, toYaml, toYamlPretty } from './index.js';

const expected = JSON.parse(readFileSync(new URL('./__fixtures__/corpus-expected.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

describe('bitnami corpus values', () => {
  const dir = sharedPath('corpus', 'bitnami', 'charts');
  for (const [file, exp] of Object.entries(expected)) {
    it(file, () => {
      const raw = readChartValues(join(dir, file));
      expect(raw).not.toBeNull();
      const values = fromJS(loadValues(raw!));
      expect(sha(toYaml(values)), 'toYaml').toBe(exp['toYaml']);
      expect(sha(toJson(values)), 'toJson').toBe(exp['toJson']);
      expect(sha(toToml(values)), 'toToml').toBe(exp['toToml']);
      expect(sha(toYamlPretty(values)), 'toYamlPretty').toBe(exp['toYamlPretty']);
    });
  }
});
