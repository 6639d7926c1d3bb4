/**
 * Which distribution an image layer carries, read from its release files (image-contents.md
 * §2.1): `os-release` first (systemd's format: `ID`, `VERSION_ID`, `PRETTY_NAME`, `CPE_NAME`),
 * then the older per-distribution files (`lsb-release`, `alpine-release`, `debian_version`, the
 * Red Hat family's `*-release` lines). Pure functions over file text; the OS analyser
 * (src/inventory/analysers/os.ts) feeds them one layer's files.
 *
 * The OSV ecosystem follows OSV's own spelling (ossf/osv-schema `ecosystems.json`) and
 * osv-scalibr's mapping from os-release (`extractor/filesystem/os/ecosystem/ecosystem.go`):
 * `Debian:12`, `Ubuntu:22.04:LTS` (the suffix only for LTS releases), `Alpine:v3.20`,
 * `AlmaLinux:9` and `Rocky Linux:9` (major version), `Red Hat:<CPE after redhat:>`, `Wolfi`,
 * `Chainguard`, `MinimOS` (rolling, no version). Distributions OSV has no records for (CentOS,
 * Fedora, Amazon Linux, Oracle Linux…) get null: their packages cannot be matched, and the
 * inventory says so as a gap rather than matching them against another distribution's data.
 */

/** `KEY=value` lines as os-release(5) writes them, values unquoted and unescaped. */
export function parseKeyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    out.set(key, unquote(line.slice(eq + 1).trim()));
  }
  return out;
}

/** Shell-style quoting as os-release(5) allows it: "…" with \-escapes, '…' literally, or a bare word. */
function unquote(v: string): string {
  const q = v[0];
  if (q === "'") {
    const end = v.indexOf("'", 1);
    return end > 0 ? v.slice(1, end) : v.slice(1);
  }
  if (q !== '"') return v;
  let out = '';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"') break;
    if (c === '\\' && i + 1 < v.length) {
      out += v[++i]!;
      continue;
    }
    out += c;
  }
  return out;
}

/** Debian code names to release numbers (debian-distro-info, endoflife.date's debian.md), for testing images without VERSION_ID. */
const DEBIAN_CODENAMES: Record<string, string> = {
  buzz: '1.1', rex: '1.2', bo: '1.3', hamm: '2.0', slink: '2.1', potato: '2.2', woody: '3.0', sarge: '3.1',
  etch: '4', lenny: '5', squeeze: '6', wheezy: '7', jessie: '8', stretch: '9', buster: '10',
  bullseye: '11', bookworm: '12', trixie: '13', forky: '14', duke: '15',
};

/** A Debian release number for a code name, undefined for `sid` and unknown names. */
export function debianReleaseOfCodename(codename: string): string | undefined {
  return DEBIAN_CODENAMES[codename.trim().toLowerCase()];
}

/** os-release `ID` values normalised to the family names FoundOs uses. */
const FAMILY_OF_ID: Record<string, string> = {
  amzn: 'amazon',
  ol: 'oracle',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  opensuse: 'opensuse',
  sles: 'sles',
  sled: 'sles',
  'sle-micro': 'sles',
  mariner: 'mariner',
  azurelinux: 'azurelinux',
};

export function familyOfId(id: string): string {
  const lower = id.trim().toLowerCase();
  return FAMILY_OF_ID[lower] ?? lower;
}

const major = (release: string): string | undefined => /^(\d+)(?:\.|$)/.exec(release)?.[1];

/**
 * OSV's ecosystem for a distribution release, or null when OSV publishes none for it.
 * `id` is the raw os-release ID (openSUSE Leap and Tumbleweed differ there, not in the family).
 */
export function osvEcosystem(id: string, release: string, fields: { version?: string; prettyName?: string; cpeName?: string } = {}): string | null {
  const rel = release.trim();
  switch (id.trim().toLowerCase()) {
    case 'debian': {
      const m = major(rel);
      return m ? `Debian:${m}` : null;
    }
    case 'ubuntu': {
      const m = /^(\d+)\.(\d+)/.exec(rel);
      if (!m) return null;
      const yymm = `${m[1]}.${m[2]}`;
      // OSV's Ubuntu ecosystem carries a mandatory `:LTS` for LTS releases (ossf/osv-schema ecosystems.json):
      // the VERSION line says so; failing that, LTS releases are the April ones of even years.
      const lts = fields.version !== undefined ? /\bLTS\b/.test(fields.version) : Number(m[1]) % 2 === 0 && m[2] === '04';
      return `Ubuntu:${yymm}${lts ? ':LTS' : ''}`;
    }
    case 'alpine': {
      // Edge snapshots (3.21_alpha20240923) belong to no release branch OSV has data for.
      if (/_/.test(rel)) return null;
      const m = /^(\d+)\.(\d+)/.exec(rel);
      return m ? `Alpine:v${m[1]}.${m[2]}` : null;
    }
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'minimos':
      return 'MinimOS';
    case 'almalinux': {
      const m = major(rel);
      return m ? `AlmaLinux:${m}` : null;
    }
    case 'rocky': {
      const m = major(rel);
      return m ? `Rocky Linux:${m}` : null;
    }
    case 'rhel': {
      // CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos" → Red Hat:enterprise_linux:9::baseos
      const cpe = fields.cpeName ?? '';
      const at = cpe.indexOf(':redhat:');
      return at >= 0 && cpe.length > at + 8 ? `Red Hat:${cpe.slice(at + 8)}` : null;
    }
    case 'sles':
    case 'sled':
    case 'sle-micro': {
      // OSV's SUSE suffix is the product's marketing name, os-release PRETTY_NAME without the vendor.
      const name = (fields.prettyName ?? '').replace(/^SUSE\s+/, '').trim();
      return name ? `SUSE:${name}` : null;
    }
    case 'opensuse-leap':
      return rel ? `openSUSE:Leap ${rel}` : null;
    case 'opensuse-tumbleweed':
      return 'openSUSE:Tumbleweed';
    case 'mariner':
    case 'azurelinux':
      return rel ? `Azure Linux:${rel}` : null;
    case 'photon':
      return rel ? `Photon OS:${rel}` : null;
    case 'mageia':
      return rel ? `Mageia:${rel}` : null;
    default:
      return null;
  }
}

/** `Name release 9.4 (Code)` lines of /etc/redhat-release and its siblings, mapped to a family. */
const RELEASE_LINE_FAMILIES: [RegExp, string][] = [
  [/^Red Hat Enterprise Linux/i, 'rhel'],
  [/^CentOS/i, 'centos'],
  [/^AlmaLinux/i, 'almalinux'],
  [/^Rocky Linux/i, 'rocky'],
  [/^Fedora/i, 'fedora'],
  [/^Amazon Linux/i, 'amazon'],
  [/^Oracle Linux/i, 'oracle'],
];

/** The first line of a Red Hat family release file: family, release number and the line itself. */
export function parseReleaseLine(text: string): { family: string; release: string; name: string } | undefined {
  const line = (text.split('\n', 1)[0] ?? '').trim().slice(0, 256);
  const m = /^(.*?)\s+release\s+(\d[\d.]*)/i.exec(line);
  if (!m) return undefined;
  const family = RELEASE_LINE_FAMILIES.find(([re]) => re.test(m[1]!))?.[1];
  return family ? { family, release: m[2]!.replace(/\.$/, ''), name: line } : undefined;
}

/** The version a BusyBox binary announces (`BusyBox v1.36.1 (2023-…)`), or undefined. */
export function busyboxVersion(content: Buffer): string | undefined {
  const at = content.indexOf('BusyBox v');
  if (at < 0) return undefined;
  const m = /^BusyBox v(\d[0-9A-Za-z._-]{0,31})/.exec(content.subarray(at, at + 48).toString('latin1'));
  return m?.[1];
}
