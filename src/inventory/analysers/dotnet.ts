/**
 * NuGet packages of .NET applications in an image, from the `<app>.deps.json` the SDK writes
 * beside the application (https://github.com/dotnet/sdk/blob/main/documentation/specs/runtime-configuration-file.md).
 *
 * `libraries` keys are `<Name>/<Version>`. Reported: entries of type `package`, and `runtimepack`
 * entries (the runtime a self-contained app bundles) under their NuGet name with the synthetic
 * `runtimepack.` prefix removed (`Microsoft.NETCore.App.Runtime.linux-x64`), as Trivy does.
 * A package whose entry in the runtime target lists no `runtime`, `runtimeTargets` or `native`
 * assets is left out (compile-time references and meta-packages ship no code; Trivy's rule);
 * when the runtime target is missing, every package is kept rather than guessed away.
 * Deliberately left out, where Trivy reports them as root/workspace: `project` entries, the
 * application's own assemblies, which are not NuGet packages and could collide with one's name.
 */
import type { Analyser, FoundPackage, ImageFile } from '../../model/stages.js';
import { isPlainToken, isRecord, parseJson, readEach, shortText, type FileReading } from '../lang/per-file.js';
import { formatPurl } from '../lang/purl.js';

const RUNTIME_PACK_PREFIX = 'runtimepack.';
/** NuGet package ids: letters, digits, `.`, `_`, `-` (NuGet's PackageIdValidator). */
const NUGET_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** Large apps' deps.json reach a few MiB. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

const stripPrefix = (name: string) => (name.startsWith(RUNTIME_PACK_PREFIX) ? name.slice(RUNTIME_PACK_PREFIX.length) : name);

/** Whether a target entry carries assets that run (a present, non-null runtime/runtimeTargets/native). */
function shipsCode(entry: unknown): boolean {
  if (!isRecord(entry)) return false;
  return ['runtime', 'runtimeTargets', 'native'].some((k) => entry[k] !== undefined && entry[k] !== null);
}

export function readDepsJson(file: ImageFile): FileReading {
  const parsed = parseJson(file.content);
  if (!parsed.ok) return { packages: [], problems: [parsed.reason] };
  const doc = parsed.value;
  if (!isRecord(doc)) return { packages: [], problems: ['not a JSON object'] };
  if (doc.libraries === undefined) return { packages: [], problems: [] };
  if (!isRecord(doc.libraries)) return { packages: [], problems: ['"libraries" is not an object'] };

  const targetName = isRecord(doc.runtimeTarget) && typeof doc.runtimeTarget.name === 'string' ? doc.runtimeTarget.name : undefined;
  const target = targetName !== undefined && isRecord(doc.targets) ? doc.targets[targetName] : undefined;
  const targetLibs = new Map<string, unknown>();
  if (isRecord(target)) for (const [key, entry] of Object.entries(target)) targetLibs.set(stripPrefix(key), entry);

  const packages: FoundPackage[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [key, lib] of Object.entries(doc.libraries)) {
    const type = isRecord(lib) && typeof lib.type === 'string' ? lib.type.toLowerCase() : undefined;
    if (type !== 'package' && type !== 'runtimepack') continue;
    const slash = key.indexOf('/');
    const name = stripPrefix(slash > 0 ? key.slice(0, slash) : key);
    const version = slash > 0 ? key.slice(slash + 1) : '';
    if (!NUGET_ID.test(name) || name.length > 256 || !isPlainToken(version)) {
      problems.push(`library ${JSON.stringify(shortText(key))} is not <NuGet id>/<version>`);
      continue;
    }
    const id = `${name}/${version}`;
    if (isRecord(target) && targetLibs.has(id) && !shipsCode(targetLibs.get(id))) continue;
    if (seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    packages.push({
      type: 'nuget',
      ecosystem: 'NuGet',
      name,
      version,
      purl: formatPurl({ type: 'nuget', name, version }),
      paths: [file.path],
      confidence: 'exact',
    });
  }
  return { packages, problems };
}

export const dotnetAnalyser: Analyser = {
  id: 'dotnet',
  version: 1,
  maxFileBytes: MAX_FILE_BYTES,
  wants(path) {
    return path.endsWith('.deps.json');
  },
  analyse(files) {
    return readEach(files, MAX_FILE_BYTES, readDepsJson);
  },
};
