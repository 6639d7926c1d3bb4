/** Word wrapping for the terminal reports (colour codes take no width). */
/** Word-wraps `text` to `width` columns: the first line after `first`, the rest after `rest`. */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && visible(line) + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}
