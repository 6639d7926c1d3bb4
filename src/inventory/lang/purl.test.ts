import { describe, expect, it } from 'vitest';
import { parsePurl } from '../../mitigations/purl.js';
import { formatPurl, pep503Name, type PurlParts } from './purl.js';

describe('formatPurl: the purl spec encoding', () => {
  const cases: [PurlParts, string][] = [
    [{ type: 'npm', namespace: '@babel', name: 'core', version: '7.24.0' }, 'pkg:npm/%40babel/core@7.24.0'],
    [{ type: 'golang', namespace: 'github.com/aymerick', name: 'raymond', version: 'v2.0.2+incompatible' }, 'pkg:golang/github.com/aymerick/raymond@v2.0.2%2Bincompatible'],
    [{ type: 'bitnami', name: 'postgresql', version: '17.2.0-8', qualifiers: { distro: 'debian-12', arch: 'arm64' } }, 'pkg:bitnami/postgresql@17.2.0-8?arch=arm64&distro=debian-12'],
    [{ type: 'gem', name: 'nokogiri', version: '1.16.0', qualifiers: { platform: undefined } }, 'pkg:gem/nokogiri@1.16.0'],
    [{ type: 'pypi', name: 'a b/c', version: '1.0' }, 'pkg:pypi/a%20b%2Fc@1.0'],
    [{ type: 'NuGet', name: 'Newtonsoft.Json' }, 'pkg:nuget/Newtonsoft.Json'],
    [{ type: 'x', name: 'n', version: '1', qualifiers: { Q: 'a&b=c' } }, 'pkg:x/n@1?q=a%26b%3Dc'],
  ];
  for (const [parts, purl] of cases) {
    it(purl, () => {
      expect(formatPurl(parts)).toBe(purl);
      // and the project's purl reader reads back what was written
      const back = parsePurl(purl)!;
      expect(back.name).toBe(parts.name);
      expect(back.version ?? undefined).toBe(parts.version ?? undefined);
      expect(back.namespace ?? undefined).toBe(parts.namespace ?? undefined);
    });
  }
});

describe('pep503Name', () => {
  const cases: [string, string][] = [
    ['Django', 'django'],
    ['zope.interface', 'zope-interface'],
    ['Foo__Bar--baz..qux', 'foo-bar-baz-qux'],
    ['ruamel.yaml.clib', 'ruamel-yaml-clib'],
    ['typing_extensions', 'typing-extensions'],
  ];
  for (const [name, want] of cases) it(`${name} → ${want}`, () => expect(pep503Name(name)).toBe(want));
});
