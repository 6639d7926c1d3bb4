import { describe, expect, it } from 'vitest';
import { METADATA_SCHEMA, goBase, sanitizeString, toChartMetadata, unmarshalStruct, validateMetadata } from './metadata.js';

const decode = (src: string, into: Record<string, unknown> | null = {}) => unmarshalStruct(Buffer.from(src), METADATA_SCHEMA, into)!;

describe('Chart.yaml decoding (sigs.k8s.io/yaml into helm Metadata)', () => {
  it('coerces numbers and booleans into string fields (floats formatted as float32)', () => {
    const md = decode('apiVersion: v2\nname: 1e3\nversion: 1.10\nappVersion: 10.40\ndescription: yes\nkeywords: [1, true, x]\n');
    expect(md).toMatchObject({ name: '1000', version: '1.1', appVersion: '10.4', description: 'true', keywords: ['1', 'true', 'x'] });
  });
  it('matches keys case-insensitively, the exact-case key winning when both are present', () => {
    expect(decode('Name: a\nVERSION: 1.0.0\n')).toMatchObject({ name: 'a', version: '1.0.0' });
    expect(decode('name: lower\nName: upper\n').name).toBe('lower');
  });
  it('ignores unknown keys but still refuses NaN in them', () => {
    expect(decode('name: a\nwhatever: {x: 1}\n')).toEqual({ name: 'a' });
    expect(() => decode('name: a\nx: .nan\n')).toThrow('error converting YAML to JSON: json: unsupported value: NaN');
  });
  it('reports type errors like encoding/json', () => {
    expect(() => decode('name: [a]\n')).toThrow(
      'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.name of type string',
    );
    expect(() => decode('deprecated: "yes"\n')).toThrow('cannot unmarshal string into Go struct field Metadata.deprecated of type bool');
    expect(() => decode('maintainers: [{name: [x]}]\n')).toThrow('Go struct field Maintainer.maintainers.name of type string');
    expect(() => decode('just a string\n')).toThrow('json: cannot unmarshal string into Go value of type v2.Metadata');
  });
  it('decodes into the existing struct (a second Chart.yaml or requirements.yaml merges)', () => {
    const md = decode('name: a\nversion: 1.0.0\nannotations: {x: "1"}\ndependencies: [{name: d, version: 1.0.0, condition: c}]\n');
    decode('name: b\nannotations: {z: 2}\ndependencies: [{name: e}]\nversion: ~\n', md);
    expect(md.name).toBe('b');
    expect(md.version).toBe('1.0.0'); // null leaves a string alone
    expect(md.annotations).toEqual({ x: '1', z: '2' });
    // encoding/json decodes into the existing slice element
    expect(md.dependencies).toEqual([{ name: 'e', version: '1.0.0', condition: 'c' }]);
  });
  it('keeps nil and empty dependencies apart', () => {
    expect(toChartMetadata({ apiVersion: 'v2', name: 'a', version: '1', dependencies: [] }).dependencies).toEqual([]);
    expect(toChartMetadata({ apiVersion: 'v2', name: 'a', version: '1' }).dependencies).toBeUndefined();
  });
});

describe('Metadata.Validate', () => {
  const ok = { apiVersion: 'v2', name: 'demo', version: '1.0.0' };
  it.each<[Record<string, unknown>, string]>([
    [{ ...ok, apiVersion: '' }, 'validation: chart.metadata.apiVersion is required'],
    [{ ...ok, name: '' }, 'validation: chart.metadata.name is required'],
    [{ ...ok, name: '.' }, 'validation: chart.metadata.name "." is not allowed'],
    [{ ...ok, name: 'a/b' }, 'validation: chart.metadata.name "a/b" is invalid'],
    [{ ...ok, name: 'a/' }, 'validation: chart.metadata.name "a/" is invalid'],
    [{ ...ok, version: '' }, 'validation: chart.metadata.version is required'],
    [{ ...ok, version: 'one' }, 'validation: chart.metadata.version "one" is invalid'],
    [{ ...ok, type: 'plugin' }, 'validation: chart.metadata.type must be application or library'],
    [{ ...ok, maintainers: [null] }, 'validation: maintainers must not contain empty or null nodes'],
    [{ ...ok, dependencies: [null] }, 'validation: dependencies must not contain empty or null nodes'],
    [{ ...ok, dependencies: [{ name: 'x', alias: 'a.b' }] }, 'validation: dependency "x" has disallowed characters in the alias'],
    [{ ...ok, dependencies: [{ name: 'x' }, { name: 'y', alias: 'x' }] }, 'validation: more than one dependency with name or alias "x"'],
  ])('%j → %s', (md, msg) => {
    expect(() => validateMetadata(md)).toThrow(msg);
  });
  it('checks in helm order (apiVersion before name before version)', () => {
    expect(() => validateMetadata({ apiVersion: '', name: '', version: 'bad' })).toThrow('apiVersion is required');
  });
  it('sanitises strings: spaces normalised, non-printables dropped', () => {
    const md: Record<string, unknown> = { ...ok, description: 'a\tb\u0000c\u200bd\u00a0e', keywords: ['x\ny'] };
    validateMetadata(md);
    expect(md.description).toBe('a bcd e');
    expect(md.keywords).toEqual(['x y']);
    expect(sanitizeString('plain')).toBe('plain');
  });
  it('name "/" passes helm (filepath.Base("/") is "/")', () => {
    expect(goBase('/')).toBe('/');
    expect(() => validateMetadata({ ...ok, name: '/' })).not.toThrow();
  });
});
