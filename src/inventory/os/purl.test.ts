/**
 * purls of OS packages: Syft's expectation for its image-dpkg fixture is checked in
 * analysers/dpkg.test.ts; here the rules one by one (purl-spec deb/apk/rpm types, Syft's
 * upstream/distro qualifiers) and the deliberate difference from Trivy (epoch in the deb version).
 */
import { describe, expect, it } from 'vitest';
import type { FoundOs, FoundPackage } from '../../model/stages.js';
import { parsePurl } from '../../mitigations/purl.js';
import { osPackagePurl } from './purl.js';

const debian12: FoundOs = { family: 'debian', release: '12', ecosystem: 'Debian:12', name: 'Debian GNU/Linux 12 (bookworm)' };
const ubuntu: FoundOs = { family: 'ubuntu', release: '22.04', ecosystem: 'Ubuntu:22.04:LTS', name: 'Ubuntu 22.04.4 LTS' };
const alpine: FoundOs = { family: 'alpine', release: '3.20.3', ecosystem: 'Alpine:v3.20', name: 'Alpine Linux v3.20' };
const rhel: FoundOs = { family: 'rhel', release: '9.4', ecosystem: 'Red Hat:enterprise_linux:9::baseos', name: 'Red Hat Enterprise Linux 9.4 (Plow)' };
const alma: FoundOs = { family: 'almalinux', release: '9.4', ecosystem: 'AlmaLinux:9', name: 'AlmaLinux 9.4' };
const noRelease: FoundOs = { family: 'debian', release: '', ecosystem: null, name: 'Debian' };

const pkg = (p: Partial<FoundPackage> & Pick<FoundPackage, 'type' | 'name' | 'version'>): FoundPackage => ({ paths: ['/x'], confidence: 'exact', ...p });

describe('osPackagePurl', () => {
  it.each([
    ['deb, + encoded', pkg({ type: 'deb', name: 'libc6', version: '2.36-9+deb12u7', arch: 'amd64', source: { name: 'glibc', version: '2.36-9+deb12u7' } }), debian12, 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12&upstream=glibc'],
    ['deb, source is the binary', pkg({ type: 'deb', name: 'bash', version: '5.2.15-2+b2', arch: 'amd64', source: { name: 'bash', version: '5.2.15-2+b2' } }), debian12, 'pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12'],
    // Trivy writes pkg:deb/debian/zlib1g@1.2.13.dfsg-1?…&epoch=1; the spec's deb type and Syft keep the epoch in the version.
    ['deb, epoch kept in the version', pkg({ type: 'deb', name: 'zlib1g', version: '1:1.2.13.dfsg-1', arch: 'amd64', source: { name: 'zlib', version: '1:1.2.13.dfsg-1' } }), debian12, 'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib'],
    ['deb, binNMU: source version differs', pkg({ type: 'deb', name: 'liblzma5', version: '5.4.1-0.2+b1', arch: 'amd64', source: { name: 'xz-utils', version: '5.4.1-0.2' } }), debian12, 'pkg:deb/debian/liblzma5@5.4.1-0.2%2Bb1?arch=amd64&distro=debian-12&upstream=xz-utils%405.4.1-0.2'],
    ['deb, Ubuntu', pkg({ type: 'deb', name: 'libssl3', version: '3.0.2-0ubuntu1.15', arch: 'amd64', source: { name: 'openssl', version: '3.0.2-0ubuntu1.15' } }), ubuntu, 'pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.15?arch=amd64&distro=ubuntu-22.04&upstream=openssl'],
    ['deb, no release known: no distro', pkg({ type: 'deb', name: 'a', version: '1' }), noRelease, 'pkg:deb/debian/a@1'],
    ['apk, origin differs', pkg({ type: 'apk', name: 'libcrypto3', version: '3.3.2-r0', arch: 'x86_64', source: { name: 'openssl', version: '3.3.2-r0' } }), alpine, 'pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl'],
    ['apk, origin is itself', pkg({ type: 'apk', name: 'musl', version: '1.2.5-r0', arch: 'x86_64', source: { name: 'musl', version: '1.2.5-r0' } }), alpine, 'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3'],
    ['rpm, RHEL vendor redhat, epoch qualifier, source rpm', pkg({ type: 'rpm', name: 'openssl-libs', version: '3.0.7-27.el9', epoch: 1, release: '27.el9', arch: 'x86_64', source: { name: 'openssl', version: '3.0.7-27.el9' } }), rhel, 'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm'],
    ['rpm, AlmaLinux, no epoch', pkg({ type: 'rpm', name: 'bash', version: '5.1.8-9.el9', arch: 'x86_64' }), alma, 'pkg:rpm/almalinux/bash@5.1.8-9.el9?arch=x86_64&distro=almalinux-9.4'],
  ])('%s', (_n, p, os, want) => {
    const purl = osPackagePurl(p, os);
    expect(purl).toBe(want);
    // What we write, the project's purl reader reads back.
    const back = parsePurl(purl)!;
    expect(back).toMatchObject({ type: p.type, name: p.name, version: p.version });
  });
});
