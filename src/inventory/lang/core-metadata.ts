/**
 * Python core metadata headers (`METADATA`, `PKG-INFO`): RFC 822 style `Name: value` lines up
 * to the first blank line (the description body may follow it), a line starting with blank
 * space continuing the previous value. Spec:
 * https://packaging.python.org/en/latest/specifications/core-metadata/. Lenient as pip is: a
 * stray line without a colon (old PKG-INFO descriptions) is skipped, not an error.
 */

/** The first value of each header, by lower-cased name. */
export function readCoreMetadataHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.trim() === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // Continuation: only Name and Version matter here, and those never continue, so it is skipped.
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(key)) headers.set(key, line.slice(colon + 1).trim());
  }
  return headers;
}
