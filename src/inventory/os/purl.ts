/**
 * Package URLs of OS packages, built from the package and the image's OS as the purl spec's
 * deb, apk and rpm types say (package-url/purl-spec `types/*-definition.json`) and as Syft
 * writes them:
 *   pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12
 *   pkg:deb/debian/libpam-runtime@1.1.8-3.6?arch=all&distro=debian-12&upstream=pam
 *   pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl
 *   pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm
 * The namespace is the vendor (the OS family). A Debian version keeps its epoch (`1:1.2.13.dfsg-1`,
 * the spec's own example `pkg:deb/debian/attr@1:2.4.47-2`, and Syft); Trivy instead moves it to an
 * `epoch=` qualifier, which the spec defines for rpm only. `upstream` names the source package when
 * it differs from the binary one (with `@version` when that differs too), as Syft does;
 * `distro` is `<family>-<release>`. Components are percent-encoded except the characters the spec
 * leaves as they are (letters, digits, `.-_~` and `:`), so `+` is `%2B`.
 */
import type { FoundOs, FoundPackage } from '../../model/stages.js';

function encode(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9.\-_~:]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }).join('');
}

/** The purl vendor of an OS family (purl-spec examples: debian, ubuntu, alpine, fedora, centos, opensuse; Syft/Trivy: redhat). */
const VENDOR_OF_FAMILY: Record<string, string> = { rhel: 'redhat', sles: 'suse' };

export function osPackagePurl(pkg: FoundPackage, os: FoundOs): string {
  const vendor = (VENDOR_OF_FAMILY[os.family] ?? os.family).toLowerCase();
  const q: Record<string, string | undefined> = { arch: pkg.arch };
  if (os.release) q.distro = `${os.family}-${os.release}`;
  const version = pkg.version;
  if (pkg.type === 'rpm') {
    // rpm: `version-release` in the version (FoundPackage keeps it so), the epoch as a qualifier; the source rpm as upstream.
    if (pkg.epoch !== undefined && pkg.epoch !== 0) q.epoch = String(pkg.epoch);
    if (pkg.source?.name) q.upstream = pkg.source.version ? `${pkg.source.name}-${pkg.source.version}.src.rpm` : pkg.source.name;
  } else if (pkg.source && (pkg.source.name !== pkg.name || (pkg.source.version !== undefined && pkg.source.version !== pkg.version))) {
    const differentVersion = pkg.type === 'deb' && pkg.source.version !== undefined && pkg.source.version !== pkg.version;
    q.upstream = differentVersion ? `${pkg.source.name}@${pkg.source.version}` : pkg.source.name;
  }
  const type = pkg.type.toLowerCase();
  // deb and apk names are case-insensitive and written lower case (purl-spec types/deb, types/apk).
  const name = type === 'deb' || type === 'apk' ? pkg.name.toLowerCase() : pkg.name;
  let out = `pkg:${type}/${encode(vendor)}/${encode(name)}`;
  if (version) out += '@' + encode(version);
  const pairs = Object.entries(q)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (pairs.length > 0) out += '?' + pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&');
  return out;
}
