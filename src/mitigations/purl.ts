/** A small package-URL parser (purl-spec): enough to match VEX products against charts, images and packages. */

export interface Purl {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Record<string, string>;
  subpath: string | null;
}

function dec(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** null when `s` is not a purl. */
export function parsePurl(s: string): Purl | null {
  if (!/^pkg:/i.test(s)) return null;
  let rest = s.slice(4).replace(/^\/+/, '');
  let subpath: string | null = null;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = dec(rest.slice(hash + 1)).replace(/^\/+|\/+$/g, '') || null;
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const q = rest.indexOf('?');
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const v = dec(pair.slice(eq + 1));
      if (v !== '') qualifiers[pair.slice(0, eq).toLowerCase()] = v;
    }
    rest = rest.slice(0, q);
  }
  rest = rest.replace(/\/+$/, '');
  let version: string | null = null;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    version = dec(rest.slice(at + 1)) || null;
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts.length < 2) return null;
  const type = parts[0]!.toLowerCase();
  const name = dec(parts[parts.length - 1]!);
  const ns = parts.slice(1, -1).map(dec).join('/');
  if (!/^[a-z][a-z0-9.+-]*$/.test(type) || name === '') return null;
  return { type, namespace: ns || null, name, version, qualifiers, subpath };
}

/** purl type → OSV ecosystem of the finding's package (case-insensitive comparison). */
const TYPE_ECOSYSTEMS: Record<string, string[]> = {
  bitnami: ['bitnami'],
  deb: ['debian', 'ubuntu'],
  apk: ['alpine', 'wolfi', 'chainguard'],
  rpm: ['red hat', 'rocky linux', 'almalinux', 'suse', 'opensuse'],
  npm: ['npm'],
  pypi: ['pypi'],
  golang: ['go'],
  maven: ['maven'],
  gem: ['rubygems'],
  nuget: ['nuget'],
  cargo: ['crates.io'],
  composer: ['packagist'],
  hex: ['hex'],
  pub: ['pub'],
  generic: [],
};

/** Whether a purl type can name a package of `ecosystem` (`generic` and unknown types: any). */
export function typeMatchesEcosystem(type: string, ecosystem: string): boolean {
  const eco = ecosystem.toLowerCase().split(':')[0]!;
  const list = TYPE_ECOSYSTEMS[type];
  if (!list || list.length === 0) return true;
  return list.some((e) => eco === e || eco.startsWith(e));
}

/**
 * The package name as the ecosystem's advisories spell it: Go module paths and composer
 * packages whole (`github.com/a/b`), Maven `group:artifact`, npm `@scope/name`; otherwise the name.
 */
export function purlPackageName(p: Purl): string {
  if (!p.namespace) return p.name;
  switch (p.type) {
    case 'golang':
    case 'composer':
    case 'npm':
      return `${p.namespace}/${p.name}`;
    case 'maven':
      return `${p.namespace}:${p.name}`;
    default:
      return p.name;
  }
}
