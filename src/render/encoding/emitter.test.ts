/** The emitter's shortcut for scalars with nothing to analyse gives what go-yaml's character walk gives. */
import { describe, expect, it } from 'vitest';
import { runes } from '../runes.js';
import { analyzeEach, analyzeScalar } from './emitter.js';

/** Every string of up to three characters from an alphabet of the shortcut's edge cases, and some longer. */
function* cases(): Generator<string> {
  const alphabet = ['a', 'Z', '0', '_', '.', '/', '=', '+', '-', ' ', ':', '#', ',', '?', '[', '{', '\t', '\n', '\'', '"', 'é', '*', '!', '|', '>', '%', '@', '`', '&'];
  yield '';
  for (const a of alphabet) {
    yield a;
    for (const b of alphabet) {
      yield a + b;
      for (const c of alphabet) yield a + b + c;
    }
  }
  yield* ['RollingUpdate', 'docker.io/bitnami/postgresql', 'app.kubernetes.io/name', 'a b c', 'a  b', 'x-', '-x', '---', '...', 'a#b', 'a #b', 'a: b', 'a:b', 'v1.2.3+build', 'k=v'];
}

describe('scalar analysis', () => {
  it.each([false, true])('the shortcut agrees with the walk (v3 %s)', (v3) => {
    let shortcut = 0;
    for (const s of cases()) {
      const cps = runes(s);
      const walked = analyzeEach(cps, v3);
      const got = analyzeScalar(cps, v3, s);
      if (got !== walked && JSON.stringify(got) !== JSON.stringify(walked)) expect({ s, got }).toEqual({ s, got: walked });
      if (/^[A-Za-z0-9_]/.test(s) && !/[:#,?[\]{}\t\n'"é*!|>%@`&]/.test(s) && !/ $/.test(s)) shortcut++;
    }
    expect(shortcut).toBeGreaterThan(300); // the cases the shortcut takes, not only the walk
  });
});
