/**
 * WWW-Authenticate parsing (RFC 7235): a header may carry several challenges (Quay has sent
 * `Basic realm="quay.io", Bearer realm=…`), each a scheme and auth-params with quoted strings.
 * Bytes in, result out.
 */

export interface Challenge {
  /** Lower case: `bearer`, `basic`. */
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Every challenge in one or more WWW-Authenticate header values. Malformed tails are dropped. */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const values = Array.isArray(header) ? header : [header];
  const out: Challenge[] = [];
  for (const value of values) {
    let s = value;
    let current: Challenge | null = null;
    for (;;) {
      s = s.replace(/^[\s,]+/, '');
      if (s === '') break;
      const tok = TOKEN.exec(s);
      if (!tok) break;
      const word = tok[0];
      const rest = s.slice(word.length);
      const param = /^\s*=\s*/.exec(rest);
      if (param && current) {
        // name=value (quoted-string or token)
        let v = rest.slice(param[0].length);
        let val: string;
        if (v.startsWith('"')) {
          let i = 1;
          let acc = '';
          while (i < v.length && v[i] !== '"') {
            if (v[i] === '\\' && i + 1 < v.length) i++;
            acc += v[i];
            i++;
          }
          val = acc;
          v = v.slice(Math.min(v.length, i + 1));
        } else {
          const t = /^[^\s,]*/.exec(v)![0];
          val = t;
          v = v.slice(t.length);
        }
        current.params[word.toLowerCase()] = val;
        s = v;
      } else {
        current = { scheme: word.toLowerCase(), params: {} };
        out.push(current);
        s = rest;
      }
    }
  }
  return out;
}
