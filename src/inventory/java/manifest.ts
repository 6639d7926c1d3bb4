/**
 * `META-INF/MANIFEST.MF`: the jar's main section (the attributes before the first blank line;
 * later sections describe entries, not the archive). Coordinates inferred from it are the
 * fallback when no pom.properties names the archive: a Jenkins plugin's Group-Id, Short-Name and
 * Plugin-Version, else Trivy's order of attributes (pkg/dependency/parser/java/jar/parse.go).
 * None of them is a Maven coordinate by definition, so what comes out of here is a guess.
 */

/** Main-section attributes, keys lower-cased (manifest names are case-insensitive). */
export type ManifestAttributes = Map<string, string>;

/** Parses the main section; continuation lines (one leading space) are joined without it. */
export function parseManifestMainSection(text: string): ManifestAttributes {
  const attrs: ManifestAttributes = new Map();
  const add = (line: string): void => {
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    // A later duplicate replaces the earlier one, as java.util.jar.Attributes does.
    attrs.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  };
  let current: string | null = null;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') break;
    if (line.startsWith(' ')) {
      if (current !== null) current += line.slice(1);
      continue;
    }
    if (current !== null) add(current);
    current = line;
  }
  if (current !== null) add(current);
  return attrs;
}

export interface ManifestCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

/** The first attribute that is set, skipping OSGi localisation placeholders (`%bundleName`). */
function first(attrs: ManifestAttributes, names: string[]): string {
  for (const n of names) {
    const v = attrs.get(n);
    if (v && !v.startsWith('%')) return v;
  }
  return '';
}

/** The group id a Bundle-SymbolicName suggests: its directives dropped, then its last segment. */
function groupFromSymbolicName(sym: string): string {
  const name = sym.split(';')[0]!.trim();
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The artifact name a Bundle-SymbolicName suggests (its last segment), for matching only. */
export function symbolicNameTail(attrs: ManifestAttributes): string {
  const sym = attrs.get('bundle-symbolicname');
  if (!sym) return '';
  const name = sym.split(';')[0]!.trim();
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Coordinates inferred from the main section, or null when group, name or version is missing. */
export function manifestCoordinates(attrs: ManifestAttributes): ManifestCoordinates | null {
  // Jenkins plugins (.hpi/.jpi): maven-hpi-plugin writes the plugin's own Maven coordinates here.
  const jenkins = { groupId: first(attrs, ['group-id']), artifactId: first(attrs, ['short-name']), version: first(attrs, ['plugin-version']) };
  if (jenkins.groupId && jenkins.artifactId && jenkins.version) return jenkins;
  let groupId = first(attrs, ['implementation-vendor-id']);
  if (!groupId) {
    const sym = first(attrs, ['bundle-symbolicname']);
    groupId = sym ? groupFromSymbolicName(sym) : first(attrs, ['implementation-vendor', 'specification-vendor']);
  }
  const artifactId = first(attrs, ['implementation-title', 'specification-title', 'bundle-name']);
  const version = first(attrs, ['implementation-version', 'specification-version', 'bundle-version']);
  return groupId && artifactId && version ? { groupId, artifactId, version } : null;
}

/** The version the manifest states for the archive, for matching a pom.properties against it. */
export function manifestVersion(attrs: ManifestAttributes): string {
  return first(attrs, ['implementation-version', 'bundle-version', 'specification-version']);
}
