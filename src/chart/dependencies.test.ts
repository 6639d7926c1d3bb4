import { describe, expect, it } from 'vitest';
import type { Chart, ChartDependency, ChartNode } from '../model/chart.js';
import { InputError } from '../model/errors.js';
import { checkDependencies, constraintWarnings, enabledNodes, resolveChartTree } from './dependencies.js';

function mk(name: string, version: string, opts: { deps?: ChartDependency[]; values?: Record<string, unknown>; subs?: Chart[] } = {}): Chart {
  return {
    metadata: { apiVersion: 'v2', name, version, ...(opts.deps ? { dependencies: opts.deps } : {}) },
    rawMetadata: Buffer.alloc(0),
    values: opts.values ?? {},
    templates: [],
    files: [],
    dependencies: opts.subs ?? [],
    origin: [],
    warnings: [],
  };
}

const flat = (n: ChartNode): [string, boolean, string | null][] => [
  [n.path, n.enabled, n.reason],
  ...n.children.flatMap(flat),
];

describe('resolveChartTree (processDependencyEnabled)', () => {
  it('evaluates conditions with chart defaults and user values', () => {
    const top = mk('top', '1.0.0', {
      deps: [
        { name: 'a', version: '1.x', condition: 'a.enabled' },
        { name: 'b', version: '1.x', condition: 'b.enabled' },
      ],
      values: { a: { enabled: false }, b: { enabled: false } },
      subs: [mk('a', '1.0.0'), mk('b', '1.0.0')],
    });
    expect(flat(resolveChartTree(top, { b: { enabled: true } }))).toEqual([
      ['top', true, null],
      ['top/charts/a', false, 'condition a.enabled is false'],
      ['top/charts/b', true, null],
    ]);
  });

  it('conditions win over tags; tags: any true enables', () => {
    const top = mk('top', '1.0.0', {
      deps: [
        { name: 'a', version: '1.0.0', tags: ['x', 'y'] },
        { name: 'b', version: '1.0.0', tags: ['x'], condition: 'b.on' },
        { name: 'c', version: '1.0.0', tags: ['x'] },
      ],
      values: { tags: { x: false, y: true }, b: { on: true } },
      subs: [mk('a', '1.0.0'), mk('b', '1.0.0'), mk('c', '1.0.0')],
    });
    expect(flat(resolveChartTree(top, {}))).toEqual([
      ['top', true, null],
      ['top/charts/a', true, null],
      ['top/charts/b', true, null],
      ['top/charts/c', false, 'tag x is false'],
    ]);
  });

  it('aliases make separate instances with their own conditions and paths', () => {
    const top = mk('top', '1.0.0', {
      deps: [
        { name: 'redis', version: '~2.3', alias: 'cache' },
        { name: 'redis', version: '~2.3', alias: 'queue', condition: 'queue.enabled' },
      ],
      values: { queue: { enabled: false } },
      subs: [mk('redis', '2.3.1')],
    });
    const tree = resolveChartTree(top, {});
    expect(flat(tree)).toEqual([
      ['top', true, null],
      ['top/charts/cache', true, null],
      ['top/charts/queue', false, 'condition queue.enabled is false'],
    ]);
    expect(tree.children.map((c) => [c.name, c.alias, c.declared])).toEqual([
      ['redis', 'cache', true],
      ['redis', 'queue', true],
    ]);
  });

  it('keeps undeclared subcharts, and removes them by name with a disabled dependency', () => {
    const top = mk('top', '1.0.0', {
      deps: [{ name: 'db', version: '1.x', condition: 'db.enabled' }],
      values: { db: { enabled: false } },
      subs: [mk('db', '1.0.0'), mk('db', '2.0.0'), mk('extra', '1.0.0')],
    });
    const tree = resolveChartTree(top, {});
    expect(tree.children.map((c) => [c.version, c.declared, c.constraint, c.constraintSatisfied, c.enabled, c.reason])).toEqual([
      ['2.0.0', true, '1.x', false, false, 'condition db.enabled is false'],
      ['1.0.0', false, null, null, true, null],
      ['1.0.0', true, '1.x', true, false, 'condition db.enabled is false'],
    ]);
  });

  it('says when a chart is removed only because it has the name of a disabled alias', () => {
    const top = mk('top', '1.0.0', {
      deps: [{ name: 'redis', version: '1.x', alias: 'cache', condition: 'cache.enabled' }],
      subs: [mk('redis', '1.0.0'), mk('cache', '1.0.0')],
    });
    const tree = resolveChartTree(top, { cache: { enabled: false } });
    expect(tree.children.map((c) => [c.path, c.declared, c.enabled])).toEqual([
      ['top/charts/cache', false, false],
      ['top/charts/cache', true, false],
    ]);
    expect(tree.children[0]!.reason).toBe('removed because dependency "cache" is disabled (condition cache.enabled is false): helm removes subcharts by name');
  });

  it('declared and constraint facts hold below disabled and out-of-range subcharts (never processed by helm)', () => {
    // wordpress 27.0.0's shape: mariadb 23 bundled for 22.x.x, memcached disabled, both declaring common 2.x.x.
    const common = () => mk('common', '2.31.10');
    const commonDep = { name: 'common', version: '2.x.x' };
    const top = mk('top', '1.0.0', {
      deps: [
        { name: 'memcached', version: '7.x.x', condition: 'memcached.enabled' },
        { name: 'mariadb', version: '22.x.x', condition: 'mariadb.enabled' },
        commonDep,
      ],
      values: { memcached: { enabled: false } },
      subs: [
        mk('common', '2.31.10'),
        mk('mariadb', '23.0.1', { deps: [commonDep], subs: [common()] }),
        mk('memcached', '8.0.0', { deps: [commonDep], subs: [common()] }),
        mk('extra', '1.0.0', { subs: [mk('undeclared', '1.0.0')] }),
      ],
    });
    const facts = (n: ChartNode): [string, boolean, boolean, string | null, boolean | null][] => [
      [n.path, n.enabled, n.declared, n.constraint, n.constraintSatisfied],
      ...n.children.flatMap(facts),
    ];
    const tree = resolveChartTree(top, {});
    expect(facts(tree)).toEqual([
      ['top', true, false, null, null],
      ['top/charts/mariadb', true, true, '22.x.x', false],
      ['top/charts/mariadb/charts/common', true, true, '2.x.x', true],
      ['top/charts/memcached', false, true, '7.x.x', false],
      ['top/charts/memcached/charts/common', false, true, '2.x.x', true],
      ['top/charts/extra', true, false, null, null],
      ['top/charts/extra/charts/undeclared', true, false, null, null],
      ['top/charts/common', true, true, '2.x.x', true],
    ]);
    expect(constraintWarnings(tree)).toEqual([
      'top/charts/mariadb: bundled version 23.0.1 is outside the range "22.x.x" that top declares (helm dependency list: wrong version); helm deploys it anyway',
      'top/charts/memcached: bundled version 8.0.0 is outside the range "7.x.x" that top declares (helm dependency list: wrong version)',
    ]);
  });

  it('a chart without declared dependencies is not processed: grandchild conditions are ignored', () => {
    const leaf = mk('leaf', '1.0.0');
    const mid = mk('mid', '1.0.0', { deps: [{ name: 'leaf', version: '1.0.0', condition: 'leaf.enabled' }], values: { leaf: { enabled: false } }, subs: [leaf] });
    expect(enabledNodes(resolveChartTree(mk('top', '1.0.0', { subs: [mid] }), {})).map((n) => n.path)).toEqual([
      'top',
      'top/charts/mid',
      'top/charts/mid/charts/leaf',
    ]);
    expect(enabledNodes(resolveChartTree(mk('top', '1.0.0', { deps: [], subs: [mid] }), {})).map((n) => n.path)).toEqual([
      'top',
      'top/charts/mid',
    ]);
  });

  it('children of a disabled chart are disabled with "parent disabled"', () => {
    const leaf = mk('leaf', '1.0.0');
    const mid = mk('mid', '1.0.0', { subs: [leaf] });
    const top = mk('top', '1.0.0', { deps: [{ name: 'mid', version: '1.0.0', condition: 'mid.enabled' }], subs: [mid] });
    expect(flat(resolveChartTree(top, { mid: { enabled: false } }))).toEqual([
      ['top', true, null],
      ['top/charts/mid', false, 'condition mid.enabled is false'],
      ['top/charts/mid/charts/leaf', false, 'parent disabled'],
    ]);
  });

  it('nested conditions are relative to the parent and the top can override', () => {
    const leaf = mk('leaf', '1.0.0');
    const mid = mk('mid', '1.0.0', { deps: [{ name: 'leaf', version: '1.0.0', condition: 'leaf.enabled' }], values: { leaf: { enabled: false } }, subs: [leaf] });
    const top = mk('top', '1.0.0', { deps: [{ name: 'mid', version: '1.0.0' }], subs: [mid] });
    expect(enabledNodes(resolveChartTree(top, {})).map((n) => n.path)).toEqual(['top', 'top/charts/mid']);
    expect(enabledNodes(resolveChartTree(top, { mid: { leaf: { enabled: true } } })).map((n) => n.path)).toEqual([
      'top',
      'top/charts/mid',
      'top/charts/mid/charts/leaf',
    ]);
  });

  it('a dependency without a version matches no subchart (helm keeps it, unaliased)', () => {
    const top = mk('top', '1.0.0', { deps: [{ name: 'a', alias: 'b' }], subs: [mk('a', '1.0.0')] });
    const tree = resolveChartTree(top, {});
    expect(tree.children.map((c) => [c.path, c.alias, c.declared, c.constraint, c.constraintSatisfied])).toEqual([['top/charts/a', null, true, '', false]]);
    expect(constraintWarnings(tree)).toEqual([
      'top/charts/a: top declares version "" for a, which is not a version range (helm dependency list: invalid constraint); helm deploys it anyway',
    ]);
  });

  it('fails like helm on a type mismatch', () => {
    const top = mk('top', '1.0.0', { deps: [{ name: 'a', version: '1.0.0' }], subs: [mk('a', '1.0.0')] });
    expect(() => resolveChartTree(top, { a: 'x' })).toThrow(InputError);
    expect(() => resolveChartTree(top, { a: 'x' })).toThrow('top: chart dependencies processing failed: type mismatch on a: %!t(string=x)');
  });
});

describe('checkDependencies', () => {
  it('compares names only, and is worded like helm', () => {
    const top = mk('top', '1.0.0', { deps: [{ name: 'a', version: '9.9.9' }, { name: 'b' }, { name: 'c' }], subs: [mk('a', '1.0.0')] });
    expect(() => checkDependencies(top)).toThrow(
      'an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: b, c',
    );
    expect(() => checkDependencies(mk('x', '1.0.0'))).not.toThrow();
  });
});
