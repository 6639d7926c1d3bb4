import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import type { FoundPackage } from '../../model/stages.js';
import { JAVA_ANALYSER_LIMITS, javaAnalyser, makeJavaAnalyser } from './java.js';
import { makeZip } from '../../../fixtures/vuln/zip-writer.js';

/** Where the tests place a fixture in the image: `java/x.jar` → `/app/x.jar`. */
const imagePath = (fixturePath: string): string => '/app/' + fixturePath.slice('java/'.length);

interface Pkg { name: string; version: string; filePath: string }
/** Ours in Trivy's terms: its filePath is the innermost archive (nested ones joined with `/`). */
const asTrivy = (p: FoundPackage): Pkg => ({ name: p.name, version: p.version, filePath: p.paths[p.paths.length - 1]! });
const sorted = (l: Pkg[]) => [...l].sort((a, b) => (a.name + a.version + a.filePath < b.name + b.version + b.filePath ? -1 : 1));

/**
 * Trivy expectations we do not meet, by fixture and test: the peer's answer needs Maven Central
 * (its tests mock the search), and chartaudit reads images offline. What we report instead is
 * Trivy's offline answer (test.jar) or the file-name guess the brief asks for (heuristic).
 */
const ONLINE_ONLY: Record<string, { ours: (Pkg & { confidence: string; purl?: string })[]; why: string }> = {
  'java/test.jar TestParse/sha1 search': {
    ours: [{ name: 'org.springframework:Spring Framework', version: '2.5.6.SEC03', filePath: '/app/test.jar', confidence: 'guessed', purl: 'pkg:maven/org.springframework/Spring%20Framework@2.5.6.SEC03' }],
    why: 'needs the SHA-1 of the jar looked up on Maven Central; offline the MANIFEST.MF gives a guessed coordinate (Trivy --offline-scan reports the same)',
  },
  'java/heuristic-1.0.0-SNAPSHOT.jar TestParse/artifactId search': {
    ours: [{ name: 'heuristic', version: '1.0.0-SNAPSHOT', filePath: '/app/heuristic-1.0.0-SNAPSHOT.jar', confidence: 'guessed' }],
    why: 'the group comes from a Maven Central search by artifactId; offline only the file name speaks: no group, so no purl (the maven purl type requires one) and no match',
  },
};

describe('java analyser on the Trivy fixtures (../shared/testdata/images/java, expected.json)', () => {
  const fixtures = fixturesUnder('java');
  it('covers all eight Java fixtures', () => expect(fixtures.map((f) => f.path).sort()).toEqual([
    'java/gradle.war', 'java/hadoop-shaded-guava-1.1.0-SNAPSHOT.jar', 'java/heuristic-1.0.0-SNAPSHOT.jar', 'java/io.quarkus.gizmo.gizmo-1.1.jar',
    'java/license-from-jenkins-plugin.jar', 'java/multi-license-1.0.0.jar', 'java/nested.jar', 'java/test.jar',
  ]));

  for (const fixture of fixtures) {
    for (const peer of fixture.expectations) {
      const key = `${fixture.path} ${peer.from.test}`;
      it(`${key}${peer['mode'] ? ` (${String(peer['mode'])})` : ''}`, () => {
        const file = fixtureFile(fixture, imagePath(fixture.path));
        expect(javaAnalyser.wants(file.path, { mode: 0o644, size: file.size })).toBe(true);
        const result = javaAnalyser.analyse([file]);
        expect(result.gaps).toEqual([]);
        const online = ONLINE_ONLY[key];
        if (online) {
          expect(peer['mode']).toBe('online');
          expect(result.packages.map((p) => ({ ...asTrivy(p), confidence: p.confidence, ...(p.purl ? { purl: p.purl } : {}) }))).toEqual(online.ours);
          return;
        }
        const expected = (peer.packages as unknown as Pkg[]).map((p) => ({ name: p.name, version: p.version, filePath: imagePath(p.filePath) }));
        expect(sorted(result.packages.map(asTrivy))).toEqual(sorted(expected));
        for (const p of result.packages) {
          // The first path is always the file in the image (layers merge by it); a nested one adds its own.
          expect(p.paths[0]).toBe(file.path);
          expect(p.paths.length).toBe(asTrivy(p).filePath === file.path ? 1 : 2);
          expect(p).toMatchObject({ type: 'maven', ecosystem: 'Maven' });
          const [g, a] = p.name.split(':');
          expect(p.purl).toBe(`pkg:maven/${g}/${encodeURIComponent(a!)}@${p.version}`);
        }
      });
    }
  }

  it('marks pom.properties coordinates exact and MANIFEST.MF ones guessed', () => {
    const confidences = (name: string) => javaAnalyser.analyse([fixtureFile({ path: `java/${name}` }, `/app/${name}`)]).packages.map((p) => `${p.name} ${p.confidence}`);
    expect(confidences('license-from-jenkins-plugin.jar')).toEqual(['com.example:jenkins-plugin guessed']);
    expect(confidences('nested.jar')).toEqual(['test:nested exact', 'test:nested2 exact', 'test:nested3 exact']);
    // Trivy's "duplicate libraries" runs online: its manifest coordinate (Implementation-Vendor "JBoss
    // by Red Hat", Title "Gizmo", 1.1) is checked on Maven Central, not found, and dropped. Trivy
    // offline would report `JBoss by Red Hat:Gizmo` 1.1 as well; we deliberately do not: the jar's
    // pom.properties names it (file name <group>.<artifact>-<version>.jar, manifest title and version).
    expect(confidences('io.quarkus.gizmo.gizmo-1.1.jar').every((c) => c.endsWith(' exact'))).toBe(true);
  });

  it('several archives of one layer are read in one call, each with its own packages', () => {
    const files = ['nested.jar', 'gradle.war', 'test.jar'].map((n) => fixtureFile({ path: `java/${n}` }, `/srv/${n}`));
    const r = javaAnalyser.analyse(files);
    expect(r.gaps).toEqual([]);
    expect(new Set(r.packages.map((p) => p.paths[0]))).toEqual(new Set(['/srv/nested.jar', '/srv/gradle.war', '/srv/test.jar']));
    expect(r.packages).toHaveLength(3 + 4 + 1);
  });
});

describe('java analyser: which files it wants', () => {
  const cases: [string, boolean][] = [
    ['/app/app.jar', true],
    ['/usr/local/tomcat/webapps/ROOT.war', true],
    ['/opt/jboss/standalone/deployments/app.ear', true],
    ['/var/jenkins_home/plugins/git.jpi', true],
    ['/usr/share/jenkins/ref/plugins/git.hpi', true],
    ['/opt/app/lib/LEGACY.JAR', true],
    ['/opt/nifi/lib/nifi-framework-nar-1.23.2.nar', true],
    ['/opt/app/x.par', true],
    ['/opt/app/app.jar.sha1', false],
    ['/opt/app/jar', false],
    ['/opt/app/pom.properties', false],
    ['/opt/app/archive.zip', false],
    ['/opt/app/classes/App.class', false],
  ];
  for (const [path, want] of cases) it(`${path} → ${want}`, () => expect(javaAnalyser.wants(path, { mode: 0o644, size: 10 })).toBe(want));
});

describe('java analyser: bounded per file and per layer', () => {
  const pom = (a: string) => `groupId=g\nartifactId=${a}\nversion=1.0\n`;

  it('reads archives up to 512 MiB (the largest common jar is ~300 MiB); a bigger one is a gap, never read', () => {
    expect(javaAnalyser.maxFileBytes).toBe(512 * 1024 * 1024);
    const small = makeJavaAnalyser({ ...JAVA_ANALYSER_LIMITS, maxFileBytes: 100 });
    const r = small.analyse([madeFile('/app/big.jar', Buffer.alloc(101))]);
    expect(r).toEqual({ packages: [], gaps: [{ path: '/app/big.jar', reason: 'Java archive of 101 bytes is over the limit of 100 bytes; not read' }] });
  });

  it('stops inflating for the rest of the layer past its limit: later files are gaps, earlier ones keep their packages', () => {
    const jar = (a: string) => makeZip([{ name: `META-INF/maven/g/${a}/pom.properties`, data: pom(a) + '#'.repeat(200) }]);
    const analyser = makeJavaAnalyser({ ...JAVA_ANALYSER_LIMITS, maxReadBytesPerLayer: 500 });
    const r = analyser.analyse(['a', 'b', 'c', 'd'].map((a) => madeFile(`/app/${a}.jar`, jar(a))));
    // Each pom.properties inflates to 235 bytes: a and b fit in 500, c passes it, d is never opened.
    expect(r.packages.map((p) => p.name)).toEqual(['g:a', 'g:b']);
    expect(r.gaps).toEqual([
      { path: '/app/c.jar', reason: expect.stringMatching(/^reading META-INF\/maven\/g\/c\/pom\.properties \(235 bytes\) would pass the limit on bytes read from entries \(30 of 30 left; zip bomb\?\)/) },
      { path: '/app/d.jar', reason: 'not read: the Java archives of this layer reached the limit of 500 bytes read from zip entries (zip bombs?)' },
    ]);
  });

  it('lists a bounded number of packages per layer: the rest is a gap naming the files', () => {
    const jar = makeZip(['a', 'b', 'c'].map((a) => ({ name: `META-INF/maven/g/${a}/pom.properties`, data: pom(a) })));
    const analyser = makeJavaAnalyser({ ...JAVA_ANALYSER_LIMITS, maxPackagesPerLayer: 5 });
    const r = analyser.analyse(['/1.jar', '/2.jar', '/3.jar'].map((p) => madeFile(p, jar)));
    expect(r.packages.map((p) => `${p.paths[0]} ${p.name}`)).toEqual(['/1.jar g:a', '/1.jar g:b', '/1.jar g:c', '/2.jar g:a', '/2.jar g:b']);
    expect(r.gaps).toEqual([
      { path: '/2.jar', reason: '1 of its packages not listed: the Java archives of this layer reached the limit of 5 packages' },
      { path: '/3.jar', reason: 'not read: the Java archives of this layer already listed 5 packages' },
    ]);
  });

  it('a file that is not a zip is one gap naming it; the other files are still read', () => {
    const r = javaAnalyser.analyse([madeFile('/app/broken.jar', 'this is not a jar'), fixtureFile({ path: 'java/nested.jar' }, '/app/nested.jar')]);
    expect(r.gaps).toEqual([{ path: '/app/broken.jar', reason: 'not a zip archive (too short)' }]);
    expect(r.packages).toHaveLength(3);
  });
});
