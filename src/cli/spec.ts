/**
 * Every command and flag, declared once. The fast path (util.parseArgs, built into Node)
 * and commander (help text, suggestions, error messages) are both built from this table,
 * so they cannot disagree. Commander loads only when it has something to say.
 */

export interface OptionSpec {
  /** Commander syntax: `-f, --values <file>` or `--no-color`. */
  flags: string;
  description: string;
  repeatable?: boolean;
  required?: boolean;
  /** Accepted values, compared without regard to case (`--fail-on HIGH` is `high`). */
  choices?: readonly string[];
  /** Other words for a choice: `text` is `table` for every command that prints a table. */
  choiceAliases?: Readonly<Record<string, string>>;
  default?: string;
}

export interface CommandSpec {
  name: string;
  description: string;
  /** The last one may be variadic (one or more) or optional. */
  args: { name: string; description: string; variadic?: boolean; optional?: boolean }[];
  options: OptionSpec[];
}

/** The terminal format is `table` for every command; `text` is the same. */
const TEXT_ALIAS = { text: 'table' } as const;
const format = (choices: readonly string[]): OptionSpec => ({
  flags: '--format <format>',
  description: `output format: ${choices.join(', ')} (default table; text is the same)`,
  choices, choiceAliases: TEXT_ALIAS,
});
const outputFile = (what: string): OptionSpec => ({
  flags: '-o, --output <file>',
  description: `write the ${what} to this file instead of standard output (-o json or -o table, as helm users type it, sets the format instead)`,
});
const noColor: OptionSpec = { flags: '--no-color', description: 'no colours in the table (NO_COLOR=1 does the same)' };
const dbDir: OptionSpec = { flags: '--db <dir>', description: 'vulnerability database directory (default: $CHARTAUDIT_DB, else ~/.cache/chartaudit/db)' };
const timeout = (what: string, seconds: number): OptionSpec => ({
  flags: '--timeout <seconds>', description: `give up on ${what} after this many seconds, retries included (default ${seconds})`,
});

/** Values and release flags, as helm template has them (scan, template, images). */
const renderOptions: OptionSpec[] = [
  { flags: '-f, --values <file>', description: 'values file (repeatable; later files win)', repeatable: true },
  { flags: '--set <key=value>', description: 'set values on the command line, helm syntax: a.b=1,c[0]=x,d={x,y} (repeatable)', repeatable: true },
  { flags: '--set-string <key=value>', description: 'like --set, but every value is a string (repeatable)', repeatable: true },
  { flags: '--set-json <key=json>', description: 'set a value from JSON (repeatable)', repeatable: true },
  { flags: '--set-file <key=path>', description: "set a value to a file's content (repeatable)", repeatable: true },
  { flags: '--set-literal <key=value>', description: 'set a literal string value, no escaping (repeatable)', repeatable: true },
  { flags: '--release-name <name>', description: '.Release.Name (default: release-name, as helm template)' },
  { flags: '-n, --namespace <namespace>', description: '.Release.Namespace (default: default)' },
  { flags: '--kube-version <version>', description: '.Capabilities.KubeVersion (default as helm: v1.35.0)' },
  { flags: '-a, --api-versions <list>', description: 'extra .Capabilities.APIVersions (repeatable, comma-separated)', repeatable: true },
];

/** Flags of every command that pulls images. */
const imagePullOptions: OptionSpec[] = [
  { flags: '--platform <os/arch>', description: 'platform to choose from an image index, os/arch[/variant] (default linux/amd64)' },
  { flags: '--registry-config <file>', description: "docker config.json with credentials (default $DOCKER_CONFIG/config.json or ~/.docker/config.json, then Podman's auth file)" },
  { flags: '--registry-mirror <registry=host>', description: 'pull REGISTRY through a mirror, e.g. docker.io=mirror.example:5000 (repeatable)', repeatable: true },
  { flags: '--insecure-registry <host[:port]>', description: 'plain HTTP or unverified TLS for this registry only (repeatable)', repeatable: true },
  { flags: '--offline', description: 'no network: images come from the cache' },
  timeout('each image', 600),
];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

export const commands: CommandSpec[] = [
  {
    name: 'scan',
    description: 'audit a chart: provenance, subcharts, images, known vulnerabilities and the mitigation notes that apply',
    args: [{ name: 'chart', description: 'packaged chart (.tgz), chart directory, oci://registry/path/chart, or repo/chart from helm repo add' }],
    options: [
      ...renderOptions,
      { flags: '--version <version>', description: 'oci:// or repo/chart: the chart version or a constraint, as helm (default: the latest release)' },
      { flags: '--repo <url>', description: 'take <chart> from this chart repository URL instead of helm\'s repositories file' },
      { flags: '--keyring <file>', description: "public keyring to check a .prov beside the chart (default: as helm, then GnuPG's pubring.kbx; a default keyring without the signer's key leaves provenance unchecked)" },
      dbDir,
      { flags: '--offline', description: 'never use the network: images come from the cache (else a gap), and without a database vulnerabilities are reported as not examined (a gap)' },
      { flags: '--online', description: 'query the OSV API even when a local database exists' },
      { flags: '--osv-url <url>', description: 'OSV API base URL (default https://api.osv.dev)' },
      timeout('the OSV API and external notes', 60),
      { flags: '--vex <file>', description: 'OpenVEX or CycloneDX VEX document whose statements apply (repeatable; trusted)', repeatable: true },
      { flags: '--ignore-file <file>', description: 'findings you accept: id, optional image/package, reason, expires (default: .chartaudit-ignore.yaml if present)' },
      { flags: '--fail-on <severity>', description: 'exit 1 when an open finding has this severity or higher', choices: SEVERITIES },
      { flags: '--fail-on-gaps', description: 'exit 1 when anything could not be examined (a chart that does not render, an image or source not read)' },
      { flags: '--require-signature', description: 'exit 1 unless the provenance is verified (unsigned and unchecked charts fail)' },
      { flags: '--max-db-age <days>', description: 'exit 1 when the vulnerability data (newest record) is older than this many days' },
      format(['table', 'json', 'sarif', 'cyclonedx', 'html', 'markdown']),
      {
        flags: '-o, --output <file|format=file>',
        description: 'write the report to this file instead of standard output; FORMAT=FILE (repeatable) writes one more report in that format, e.g. -o sarif=scan.sarif -o html=report.html (-o json alone, as helm users type it, sets the format)',
        repeatable: true,
      },
      { flags: '--show-mitigated', description: 'list mitigated findings in full in the table (always in the JSON)' },
      ...imagePullOptions.filter((f) => f.flags !== '--offline' && !f.flags.startsWith('--timeout')),
      { flags: '--image-timeout <seconds>', description: 'give up on one image (resolve and every layer) after this many seconds, retries included (default 600)' },
      { flags: '--skip-posture', description: 'do not judge the rendered manifests (Pod Security Standards and best practices)' },
      { flags: '--pss-level <level>', description: 'Pod Security Standards level for the posture checks: baseline, or restricted (default)', choices: ['baseline', 'restricted'] },
      { flags: '--pss-version <version>', description: 'Pod Security Standards policy version: latest (default) or v1.NN' },
      { flags: '--values-keys', description: 'name the values key behind each configuration finding (renders the chart again, about five times)' },
      { flags: '--ignore-unfixed', description: 'leave out findings that no release fixes yet (the report says how many)' },
      { flags: '--skip-image-contents', description: 'list the images without pulling them (only Bitnami images are then matched, by tag; a gap says so)' },
      noColor,
    ],
  },
  {
    name: 'template',
    description: 'render the chart like helm template and print the manifests (helm template [NAME] CHART)',
    args: [
      { name: 'name-or-chart', description: 'packaged chart (.tgz) or chart directory; or the release name, as helm takes it, followed by the chart' },
      { name: 'chart', description: 'the chart, when a release name comes first', optional: true },
    ],
    options: [
      ...renderOptions,
      { flags: '-s, --show-only <template>', description: 'only these templates, e.g. templates/deployment.yaml (repeatable)', repeatable: true },
      { flags: '--include-crds', description: "include the charts' crds/ files" },
      { flags: '--skip-tests', description: 'leave out test hooks' },
    ],
  },
  {
    name: 'images',
    description: 'list the container images the chart deploys with the given values, and where each comes from',
    args: [{ name: 'chart', description: 'packaged chart (.tgz) or chart directory; several are listed one after another', variadic: true }],
    options: [
      ...renderOptions,
      format(['table', 'json']),
      outputFile('list'),
      noColor,
    ],
  },
  {
    name: 'image',
    description: 'one image: resolved digest, platform, config, layers, OS and packages, every layer read once and checked against its digests',
    args: [{ name: 'ref', description: 'registry/repository[:tag][@digest], oci-layout:DIR[:tag|@digest], or docker-archive:FILE[:ref]' }],
    options: [
      ...imagePullOptions,
      dbDir,
      { flags: '--online', description: 'match the packages with the OSV API (without it, only a local database is used)' },
      { flags: '--osv-url <url>', description: 'OSV API base URL (default https://api.osv.dev)' },
      format(['table', 'json']),
      outputFile('report'),
      noColor,
    ],
  },
  {
    name: 'posture',
    description: 'judge what the chart deploys: the Pod Security Standards as the Kubernetes admission would, and best practices, with the values key behind each finding',
    args: [{ name: 'chart', description: 'packaged chart (.tgz) or chart directory' }],
    options: [
      ...renderOptions,
      { flags: '--level <level>', description: 'Pod Security Standards level: baseline, or restricted (default; includes every baseline check)', choices: ['baseline', 'restricted'] },
      { flags: '--pss-version <version>', description: 'policy version as the admission takes it: latest (default) or v1.NN' },
      format(['table', 'json']),
      outputFile('report'),
      noColor,
    ],
  },
  {
    name: 'db import',
    description: 'import advisories into the local database: an OSV all.zip, a folder of OSV JSON/YAML, NVD JSON (API 2.0 or feed, .json/.json.gz)',
    args: [{ name: 'path', description: 'file or folder to import', variadic: true }],
    options: [dbDir],
  },
  {
    name: 'db update',
    description: "download OSV's per-ecosystem all.zip (and NVD feeds with --nvd) and import them",
    args: [],
    options: [
      dbDir,
      { flags: '--ecosystem <name>', description: 'OSV ecosystem to download (repeatable); Bitnami when none is given', repeatable: true },
      { flags: '--osv-base-url <url>', description: 'where the dumps are (default https://osv-vulnerabilities.storage.googleapis.com)' },
      { flags: '--nvd', description: 'also download the NVD JSON 2.0 feeds' },
      { flags: '--nvd-base-url <url>', description: 'where the NVD feeds are (default https://nvd.nist.gov/feeds/json/cve/2.0)' },
      timeout('each download', 600),
    ],
  },
  {
    name: 'db status',
    description: 'sources, record counts per ecosystem and the age of the local database',
    args: [],
    options: [dbDir, format(['table', 'json'])],
  },
  {
    name: 'cache status',
    description: 'where the image blob cache is, how many blobs it holds and their size',
    args: [],
    options: [format(['table', 'json'])],
  },
  {
    name: 'cache prune',
    description: 'remove the least recently used blobs until the cache is at most --max-size',
    args: [],
    options: [
      { flags: '--max-size <size>', description: 'what to keep at most, e.g. 5GiB, 500MB, 0 (default 5GiB)' },
      format(['table', 'json']),
    ],
  },
  {
    name: 'mitigations',
    description: "fetch a chart from its Helm repository and print its authors' security mitigation notes, and whether a scan would trust them",
    args: [{ name: 'repo/chart', description: 'a chart in a repository from helm repo add, or a chart name with --repo' }],
    options: [
      { flags: '--version <version>', description: 'chart version or constraint (default: the latest release)' },
      { flags: '--repo <url>', description: 'repository URL; then <chart> alone is enough' },
      { flags: '--keyring <file>', description: "public keyring to check the chart's .prov from the repository (default: as helm, then GnuPG's pubring.kbx)" },
      timeout('the repository', 30),
      format(['table', 'json', 'openvex', 'cyclonedx']),
    ],
  },
  {
    name: 'verify',
    description: 'check a packaged chart against its .prov file, like helm verify',
    args: [{ name: 'chart.tgz', description: 'packaged chart; <chart.tgz>.prov must lie beside it' }],
    options: [
      { flags: '--keyring <file>', description: 'public keyring: binary, ASCII-armored or GnuPG keybox (default: $GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg, then pubring.kbx)' },
      format(['table', 'json']),
    ],
  },
  {
    name: 'sign',
    description: 'write <chart.tgz>.prov, a provenance file that helm verify accepts',
    args: [{ name: 'chart.tgz', description: 'packaged chart to sign' }],
    options: [
      { flags: '--key <name>', description: 'user ID of the signing key (or a unique part of it, or its fingerprint)', required: true },
      { flags: '--keyring <file>', description: 'secret keyring: gpg --export-secret-keys output, binary or armored', required: true },
      { flags: '--passphrase-file <file>', description: "file whose first line is the key's passphrase; - reads standard input" },
    ],
  },
  {
    name: 'version',
    description: 'print the version (also --version)',
    args: [],
    options: [],
  },
];

/** A choice as the user typed it, in its canonical spelling; null when it is not one. */
export function canonicalChoice(s: OptionSpec, value: string): string | null {
  const v = value.toLowerCase();
  const c = s.choiceAliases?.[v] ?? v;
  return s.choices?.includes(c) ? c : null;
}

export const globalOptions: OptionSpec[] = [
  { flags: '--debug', description: 'print stack traces for errors' },
];

export interface ParsedFlag {
  short?: string;
  long: string;
  /** The key in the options object: camelCase of the long name (`--no-color` → `color`). */
  key: string;
  takesValue: boolean;
  negated: boolean;
}

export function parseFlags(flags: string): ParsedFlag {
  const m = /^(?:-(\w), )?--([\w-]+)(?: <[^>]+>)?$/.exec(flags);
  if (!m) throw new Error(`bad flag spec ${flags}`);
  const long = m[2]!;
  const negated = long.startsWith('no-');
  const base = negated ? long.slice(3) : long;
  return {
    short: m[1], long, negated, takesValue: flags.includes('<'),
    key: base.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
  };
}
