/**
 * values.schema.json validation with santhosh-tekuri/jsonschema v6's messages as helm shows
 * them (after helm strips the first line). Chart-level cases recorded from helm are in
 * test/render-charts.test.ts (fixtures/render-charts/errors).
 */
import { describe, expect, it } from 'vitest';
import { MAX_SCHEMA_DEPTH, MAX_SCHEMA_STEPS, validateAgainstSingleSchema } from './schema.js';

const v = (schema: unknown, values: Record<string, unknown>): string | null => validateAgainstSingleSchema(values, JSON.stringify(schema));

describe('validateAgainstSingleSchema', () => {
  const cases: Array<[string, unknown, Record<string, unknown>, string | null]> = [
    ['type', { properties: { a: { type: 'integer' } } }, { a: 'x' }, "- at '/a': got string, want integer\n"],
    ['integer accepts whole floats', { properties: { a: { type: 'integer' } } }, { a: 3 }, null],
    ['int64 from --set', { properties: { a: { type: 'integer', maximum: 10 } } }, { a: 12n }, "- at '/a': maximum: got 12, want 10\n"],
    ['type list', { properties: { a: { type: ['string', 'null'] } } }, { a: 1 }, "- at '/a': got number, want string or null\n"],
    ['root type', { type: 'array' }, {}, "- at '': got object, want array\n"],
    ['required', { required: ['a', 'b'] }, { a: 1 }, "- at '': missing property 'b'\n"],
    ['required many', { required: ['a', 'b'] }, {}, "- at '': missing properties 'a', 'b'\n"],
    ['enum', { properties: { a: { enum: ['x', 1, null] } } }, { a: 'y' }, "- at '/a': value must be one of 'x', 1, <nil>\n"],
    ['enum one', { properties: { a: { enum: ['x'] } } }, { a: 'y' }, "- at '/a': value must be 'x'\n"],
    ['const', { properties: { a: { const: 1.0 } } }, { a: 1 }, null],
    ['const fail', { properties: { a: { const: 'k' } } }, { a: 'j' }, "- at '/a': value must be 'k'\n"],
    ['minimum grouping', { properties: { a: { minimum: 1500 } } }, { a: 1000 }, "- at '/a': minimum: got 1,000, want 1,500\n"],
    ['exclusiveMaximum', { properties: { a: { exclusiveMaximum: 2 } } }, { a: 2 }, "- at '/a': exclusiveMaximum: got 2, want 2\n"],
    ['draft4 exclusive', { $schema: 'http://json-schema.org/draft-04/schema#', properties: { a: { maximum: 2, exclusiveMaximum: true } } }, { a: 2 }, "- at '/a': exclusiveMaximum: got 2, want 2\n"],
    ['multipleOf', { properties: { a: { multipleOf: 0.1 } } }, { a: 0.3 }, null],
    ['multipleOf fail', { properties: { a: { multipleOf: 2 } } }, { a: 3 }, "- at '/a': multipleOf: got 3, want 2\n"],
    ['minLength runes', { properties: { a: { minLength: 3 } } }, { a: 'éé' }, "- at '/a': minLength: got 2, want 3\n"],
    ['pattern', { properties: { a: { pattern: '^[a-z]+$' } } }, { a: 'A' }, "- at '/a': 'A' does not match pattern '^[a-z]+$'\n"],
    ['additionalProperties', { properties: { a: {} }, additionalProperties: false }, { a: 1, b: 2, c: 3 }, "- at '': additional properties 'b', 'c' not allowed\n"],
    ['patternProperties', { patternProperties: { '^x': { type: 'string' } } }, { xa: 1, y: 1 }, "- at '/xa': got number, want string\n"],
    ['items', { properties: { a: { items: { type: 'string' } } } }, { a: ['x', 1] }, "- at '/a/1': got number, want string\n"],
    ['uniqueItems', { properties: { a: { uniqueItems: true } } }, { a: [1, 2, 1.0] }, "- at '/a': items at 0 and 2 are equal\n"],
    ['minItems', { properties: { a: { minItems: 2 } } }, { a: [1] }, "- at '/a': minItems: got 1, want 2\n"],
    ['nested group', { properties: { o: { required: ['x'], properties: { y: { type: 'string' } } } } }, { o: { y: 1 } }, "- at '/o': missing property 'x'\n- at '/o/y': got number, want string\n"],
    ['group below root', { properties: { o: { required: ['x'], properties: { y: { type: 'string' } } }, p: { type: 'string' } } }, { o: { y: 1 }, p: 1 },
      "- at '/o': validation failed\n  - at '/o': missing property 'x'\n  - at '/o/y': got number, want string\n- at '/p': got number, want string\n"],
    ['$ref', { $defs: { port: { type: 'integer' } }, properties: { p: { $ref: '#/$defs/port' } } }, { p: 'x' }, "- at '/p': got string, want integer\n"],
    ['definitions $ref draft7', { $schema: 'http://json-schema.org/draft-07/schema#', definitions: { s: { type: 'string' } }, properties: { p: { $ref: '#/definitions/s', type: 'integer' } } }, { p: 'x' }, null],
    ['anyOf', { properties: { a: { anyOf: [{ type: 'string' }, { type: 'boolean' }] } } }, { a: 1 }, "- at '/a': anyOf failed\n  - at '/a': got number, want string\n  - at '/a': got number, want boolean\n"],
    ['oneOf none', { properties: { a: { oneOf: [{ type: 'string' }, { minimum: 5 }] } } }, { a: 1 }, "- at '/a': oneOf failed, none matched\n  - at '/a': got number, want string\n  - at '/a': minimum: got 1, want 5\n"],
    ['oneOf two', { properties: { a: { oneOf: [{ type: 'number' }, { minimum: 0 }] } } }, { a: 1 }, "- at '/a': oneOf failed, subschemas 0, 1 matched\n"],
    ['not', { properties: { a: { not: { type: 'string' } } } }, { a: 'x' }, "- at '/a': not failed\n"],
    ['if/then', { if: { properties: { on: { const: true } } }, then: { required: ['x'] } }, { on: true }, "- at '': missing property 'x'\n"],
    ['format asserted before 2019', { $schema: 'http://json-schema.org/draft-07/schema#', properties: { h: { format: 'ipv4' } } }, { h: '1.2.3' }, "- at '/h': '1.2.3' is not valid ipv4: expected four decimals\n"],
    ['format not asserted in 2020', { properties: { h: { format: 'ipv4' } } }, { h: '1.2.3' }, null],
    ['dependentRequired', { dependentRequired: { a: ['b'] } }, { a: 1 }, "- at '': properties 'b' required, if 'a' exists\n"],
    ['escaped pointer', { properties: { 'a/b': { type: 'string' } } }, { 'a/b': 1 }, "- at '/a~1b': got number, want string\n"],
    ['bitnami style', { $schema: 'http://json-schema.org/schema#', type: 'object', properties: { replicaCount: { type: 'integer', form: true } } }, { replicaCount: 1 }, null],
  ];
  for (const [name, schema, values, want] of cases) it(name, () => expect(v(schema, values)).toBe(want));

  it('reports schemas that are not JSON', () => {
    expect(validateAgainstSingleSchema({}, '{"a": }')).toBe("invalid character '}' looking for beginning of value");
  });

  // the schema reader's quick paths (plain strings, numbers, whitespace) leave these to the slow one
  it.each<[string, string]>([
    ['{"a": "ctl\u0001"}'.replace('\\u0001', '\u0001'), "invalid character '\u0001' in string literal"],
    ['{"a": "\\x"}', "invalid character 'x' in string escape code"],
    ['{"a": 1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a": "unterminated', 'unexpected end of JSON input'],
    ['{"type": "string", "description": "plain é \\u00e9 \\n", "maximum": 1.5e3}', "- at '': got object, want string\n"],
  ])('schema text %j', (text, want) => {
    expect(validateAgainstSingleSchema({}, text)).toBe(want);
  });
});

describe('depth: fails closed, never a silent pass', () => {
  const nested = (levels: number): { schema: unknown; values: Record<string, unknown>; at: string } => {
    let schema: unknown = { type: 'string' };
    let values: unknown = 1;
    for (let i = 0; i < levels; i++) {
      schema = { properties: { a: schema } };
      values = { a: values };
    }
    return { schema, values: values as Record<string, unknown>, at: '/a'.repeat(levels) };
  };

  it('validates deep nesting (250 levels passed silently when validation stopped at 200)', () => {
    for (const levels of [150, 250, 450]) {
      const { schema, values, at } = nested(levels);
      expect(v(schema, values)).toBe(`- at '${at}': got number, want string\n`);
    }
  });

  it('refuses a schema document nested deeper than it reads, as encoding/json does past its limit', () => {
    const { schema, values } = nested(600); // 1,200 JSON levels
    expect(v(schema, values)).toBe(`exceeded max depth (chartaudit reads schemas nested at most ${MAX_SCHEMA_DEPTH} levels)`);
    expect(validateAgainstSingleSchema({}, '['.repeat(20_000) + ']'.repeat(20_000))).toMatch(/^exceeded max depth/);
  });

  it('reports a $ref cycle (helm: "causing reference cycle") as an error, also under not/anyOf', () => {
    const want = `- at '': validation deeper than ${MAX_SCHEMA_DEPTH} levels (a $ref cycle or nesting chartaudit does not follow); refused, not validated\n`;
    expect(v({ $ref: '#' }, { a: 1 })).toBe(want);
    expect(v({ not: { $ref: '#' } }, {})).toBe(want);
    expect(v({ anyOf: [{ $ref: '#/$defs/x' }, true], $defs: { x: { $ref: '#/$defs/y' }, y: { $ref: '#/$defs/x' } } }, {})).toBe(want);
    expect(v({ properties: { p: { $ref: '#/properties/p' } } }, { p: 1 })).toBe(want.replace("at ''", "at '/p'"));
    expect(v({ unevaluatedProperties: false, allOf: [{ $ref: '#' }] }, { x: 1 })).toBe(want);
  });
});

describe('work: fails closed, never a silent pass', () => {
  it('refuses a schema whose shared subschemas double the work at each level (2^40 applications)', () => {
    const defs: Record<string, unknown> = { d40: true };
    for (let i = 0; i < 40; i++) defs[`d${i}`] = { allOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] };
    const t0 = Date.now();
    expect(v({ $defs: defs, $ref: '#/$defs/d0' }, {})).toBe(`- at '': validation takes more than ${MAX_SCHEMA_STEPS} schema applications; refused, not validated\n`);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
