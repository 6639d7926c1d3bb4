/**
 * Table tests: every case of __fixtures__/cases.yaml runs through the engine with
 * sprigFuncs() and must produce what the reference helm v4.1.4 produced
 * (__fixtures__/expected.json, made by __fixtures__/generate.ts): the same output, or the
 * same error detail (the text after `executing "case-N" at <...>: `).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExecError, TemplateSet, fromJS, goFunc, type GoMap } from '../template/index.js';
import { jsonUnmarshalInto, sprigFuncs } from './index.js';
import { defineText, loadCases } from './__fixtures__/cases.js';
import { setKeyGeneration } from './keys.js';

const here = dirname(fileURLToPath(import.meta.url));
const expected = JSON.parse(readFileSync(join(here, '__fixtures__', 'expected.json'), 'utf8')) as Record<string, { output?: string; error?: string }>;

/**
 * Cases whose exact helm output cannot be reproduced, with the reason. They run as `it.fails`:
 * one that starts agreeing with helm fails until its entry is removed.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'semver-value-original':
    'Original has a pointer receiver; the executor resolves methods after dereferencing, so sprig registers pointer methods on semver.Version too',
};

/**
 * helm replaces sprig's fromJson with its own (errors go into the map's "Error" key); the
 * cases run through helm, so the test does the same, with the helper the helm layer uses.
 */
const helmOverrides = {
  fromJson: goFunc('func(string) map[string]interface {}', (s: string) => {
    const r = jsonUnmarshalInto(s, 'map');
    const m = (r.value ?? {}) as GoMap;
    if (r.error !== null) m.Error = r.error;
    return m;
  }),
};

export function runCase(n: number, template: string, values: unknown): { output?: string; error?: string } {
  const set = new TemplateSet({ funcs: { ...sprigFuncs(), ...helmOverrides } });
  try {
    set.parse('cases/templates/_cases.tpl', defineText(n, { name: '', template }));
    return { output: set.execute(`case-${n}`, fromJS({ Values: values === undefined ? null : values })) };
  } catch (e) {
    if (e instanceof ExecError) return { error: e.detail };
    return { error: (e as Error).message };
  }
}

describe('sprig functions agree with helm v4.1.4', () => {
  const cases = loadCases();
  cases.forEach((c, n) => {
    if (c.skipHelm) return;
    const want = expected[c.name];
    const reason = KNOWN_DIFFERENCES[c.name];
    const t = reason ? it.fails : it;
    t(c.name, () => {
      expect(want, `no expected output for ${c.name}: run __fixtures__/generate.ts`).toBeDefined();
      const got = runCase(n, c.template, c.values);
      expect(got).toEqual(want);
    });
  });
});

describe('random strings and UUIDs in both key generation modes (keys.ts)', () => {
  it.each(['secure', 'throwaway'] as const)('%s: the lengths, alphabets and UUID form sprig gives', (mode) => {
    setKeyGeneration(mode);
    try {
      const set = new TemplateSet({ funcs: sprigFuncs() });
      // one a line: randAscii's alphabet has the space
      set.parse('t', '{{ randAlphaNum 40 }}\n{{ randAlpha 40 }}\n{{ randNumeric 40 }}\n{{ randAscii 40 }}\n{{ uuidv4 }}');
      const [alnum, alpha, numeric, ascii, uuid] = set.execute('t', null).split('\n') as [string, string, string, string, string];
      expect(alnum).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(alpha).toMatch(/^[A-Za-z]{40}$/);
      expect(numeric).toMatch(/^[0-9]{40}$/);
      expect(ascii).toMatch(/^[\x20-\x7e]{40}$/);
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(set.execute('t', null)).not.toBe(set.execute('t', null));
    } finally {
      setKeyGeneration('secure');
    }
  });
});
