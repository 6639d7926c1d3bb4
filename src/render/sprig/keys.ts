/**
 * Where template key generation gets its keys. `secure` (the default, and always for
 * `chartaudit template`, whose output people deploy): a fresh key every call, as sprig does.
 * `throwaway`: for renders whose output nobody sees (`images`, `scan` only read which images
 * a chart deploys), one key per type and size for the whole process, and for RSA a fixed
 * key embedded below, because generating RSA keys is the slowest thing a chart can ask for
 * (seconds for a 4096-bit key) and changes nothing about which images are deployed. Random
 * strings and UUIDs (randAlphaNum, uuidv4…) come from node:crypto in `secure` mode and from
 * Math.random in `throwaway` mode: loading node:crypto costs ~11 ms a run, and the random
 * passwords of Bitnami's charts were most renders' only reason to load it.
 */
import { createPrivateKey, generateKeyPairSync, randomInt, randomUUID, type KeyObject } from 'node:crypto';
import { noteRandomDraw } from './effects.js';

export type KeyGeneration = 'secure' | 'throwaway';

let mode: KeyGeneration = 'secure';
const reused = new Map<string, KeyObject>();

export function setKeyGeneration(m: KeyGeneration): void {
  mode = m;
}

/** A random integer in [0, n): node:crypto's in `secure` mode (n ≤ 2^31-1 there, as randomInt takes). */
export function randomBelow(n: number): number {
  noteRandomDraw();
  return mode === 'secure' && n <= 0x7fffffff ? randomInt(n) : Math.floor(Math.random() * n);
}

/** A random (version 4) UUID: node:crypto's in `secure` mode. */
export function randomUuid(): string {
  noteRandomDraw();
  if (mode === 'secure') return randomUUID();
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
    return s;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`;
}

type KeySpec =
  | { type: 'rsa'; modulusLength: number }
  | { type: 'dsa'; modulusLength: number; divisorLength: number }
  | { type: 'ec'; namedCurve: string }
  | { type: 'ed25519' };

/** A new private key, or in throwaway mode the process's key of that kind. */
export function newPrivateKey(spec: KeySpec): KeyObject {
  noteRandomDraw();
  if (mode === 'secure') return generate(spec);
  const id = JSON.stringify(spec);
  let k = reused.get(id);
  if (!k) {
    const embedded = spec.type === 'rsa' ? THROWAWAY_RSA[spec.modulusLength] : undefined;
    k = embedded ? createPrivateKey(`-----BEGIN PRIVATE KEY-----\n${embedded.join('')}\n-----END PRIVATE KEY-----\n`) : generate(spec);
    reused.set(id, k);
  }
  return k;
}

function generate(spec: KeySpec): KeyObject {
  switch (spec.type) {
    case 'rsa': return generateKeyPairSync('rsa', { modulusLength: spec.modulusLength }).privateKey;
    case 'dsa': return generateKeyPairSync('dsa', { modulusLength: spec.modulusLength, divisorLength: spec.divisorLength }).privateKey;
    case 'ec': return generateKeyPairSync('ec', { namedCurve: spec.namedCurve }).privateKey;
    case 'ed25519': return generateKeyPairSync('ed25519').privateKey;
  }
}

/** PKCS#8, base64. Never used for output anyone sees: see the module comment. */
const THROWAWAY_RSA: Record<number, string[]> = {
  2048: [
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCuG1UHleOuQXFTl17UbeMaRbiU1vvti1w8eWcoPx4+wIZ0',
    'c2jk1qsNiJ9P9fkiuqX/+ha7W+ZZrQZe5eBaB+h40yuJweUZa/w9W40KD8Lp0en0pZXLpdeumeup83zciKfg3QKItmysJwoz',
    '2UA7d2sK1ONG2cmb4qRncaxrcn3fk2LxL24yGUYFXjhrcjn3QKooEAcycRDV3bV2hl4nl9+Q9UVKinzENR6Tg5YZZPr1TlSY',
    'vIhXzQB86CFOg9dlZmbBZbXZ9NJr0q4RCDtEyUh8eQerUHbb6or57qCfPY2oyaZ7uW/ZlPIJgag+TZwgy/x2vBOwE1UF1pYp',
    'DFBHoPwRAgMBAAECggEAA6Yb/pg0GNtTQjK6cI5LA6pxZ2EoD37rtHLA6DWGbz8+siMXEDC1jgeOezEHAyTRRM+beVrANaHs',
    'L8H2lTx0MVAPqgfvwrwiIbERACR7a8YT9qYfwRBdOFIOf9XUCJUum4ZWPsI//c2lp5eGgpiKnEQA7WO0F3nFA0v9FpVkMPLP',
    'aFYVKiVG1BKpgL4dThn26wI+5vU9pc5B+gzzNiMoSPX75hjytVfanQX26erijIUxLYnbsXS7rai+aypEE4H9GYkF5XCCLESE',
    'q6tNsGiWeFelpeiy8Qnz9X+A84nEQg3GlFBFtd3QWKgW9ra1FcM79XjseraSJjuKWHTmYg0zfwKBgQDsqe2gtfwlWorbfZno',
    '1MWcZGsFVxJEupvBuW/k3FCp2caQ/DhgLOtaSBfGuv+1WjU9TsDxhMvlrNDQuP6kr7O/gdsdwKa257DDRDGmjrfOAxU21L/j',
    'd30DQ7H1UYMmboYXRuMV5xLy+Nmt7NLlWdnYov0+Z+W+cTdap9FNhMq96wKBgQC8VPVKmZLVrOCs5/O051ipfncUdRyEhqIS',
    '/m3uyymuqFCPMzrxY3YicSZM0/LuTVSapcVO0i3nw25vcqHDYwYiQgjiAe54kGX1k1fdjFwOGq812TPgguvmT7trpTIB3hcU',
    '681OpSdHwsJUMUvITYy0hEYoYlsXgKS3W7iqDQCi8wKBgQC7KnCp5wLwr7ideanc/1kBJFGXOZNTE5nXDca2Yp7QlVB6nV4g',
    'gaXoEpfrLTzJufvc7omc+H8gtxm12Hha2jH3xMT7tL6kbHvZEfeKV9h5buq6IGtZg8g0arc04jAslsApbIBvc/4CdlgBOwhX',
    'JkYpFE3fqt+BS5yRb6MSAXEt3QKBgHgl8z8ebpCm88cbS1zz4ppvNeT1ObZKdgeMDfIz5mmos4xH8Kii/XDHotmMtgTVjM4E',
    'R7YbXHHpOgEbrpuKBxW/7w7QkKSV6pYa5AlRTEErQPAnm3L10y1hXH42K4sJdsxACwDLWB3t4C/6KxCkeMmJQYDuDpMV3P+l',
    'IlBKb0eFAoGABLPaQV1HwIxyQ21swrNrjCpjbYDCdZIkB2U1Q7DLU3AmIHO3YiYTTJ+wefSoJVdvUDExjxY//FQ8g51bjl7l',
    'G8fnImprqnozS/S7/6psrhcTjh4Okiu2/j7llE6WgBAskB7c9Hww9NuyKSVg6XbChSWIQ8EDC11Qri2F6ujMUwQ=',
  ],
  4096: [
    'MIIJQgIBADANBgkqhkiG9w0BAQEFAASCCSwwggkoAgEAAoICAQCPvA5TNpWkKVxNk8ozA52j2P75UYaTr6lPrlwxjrEdDsMA',
    'ozHf7HUKaCHNVwwBQ6VVTXhq+mTgDS2fHKwbVOGhoQwYm56YKBdPr3aZ2aXShWtmRik6u386Fxx346qxJuornNUWXlCj77mS',
    'D8qrrf6POMYE8LV2t04ScR2UOEZPWQAMeaC+kmxFjd5fgNonZ9xYWm6YmKkZi3mc00gyvAt7tAH7EmMEqnWzY6fWCO/XOZS+',
    'aYWYPZU2D10dKyyWwCuUK3qIwmQDNAle2E4udJDmynug7rvFbRtqglwh1A+Rjkqch2jJkzcImo4r9elN3LfmtcF87YaENsl/',
    '3WI5Qsu9Xk1v0QejgfGoYN+wS1qv5x92JvS5aIodjfEJwxWJuUQynpZIVPXC6IW0/R+Zj/0gS1uFsTqhC0PJapl1AwZMzMIc',
    'Be0ta8GsSV7d0pBB1+5wAU/CWwHwoG4agc7ouPZrH7w3B5h/dk7viH8W8/lC2PfWsXTIVoHEeyTj7N4zp70rhAHY7JLbBXDY',
    'y3ug3y8jmb0cfY7JzfD3QfZIHRDHCwrxW3XwTpavkF/M2HYp1J9qaPKgYUuIGeO+PHD7eoPdupkpxQg/mPz9c4gIAca6slW6',
    '5nyGkfFG/0kNyf0EHMfz1f+8l2yzwVcWBoNR6xUM/Gb4tflVFMaCyWEZInRQ7QIDAQABAoICAA5FYrq6YbMx9BszwFC+XCmH',
    'gxFoGc+SEmJ58mdtPoKfE5d9nJcaGCjXW/vSV7vMZp8ImRsuD1P7mvsAUspH7DsrDVNoKB/9YwsjZcgyxvcXDinSb4eIVEKF',
    'RutUbH84WOnJoZKd/K26QJeS/9F57ht0TJzy9WF7I8JK/t/XkouQT6Ptc5tYWG2zf0/GMGLXOhZ/rBl0lt2Vbpa2l6WJ7C31',
    'Gnk+QxyUfCk6jNCAhKe+7NjXC0+pVaZPcjRSNBQnsmv8wSbQ/jMfOIr1ORX9tuFjW1EIQxaAFcfGd7VYI8+U7C2MeEgDWOR+',
    'y/zrZqW3c37xrutjfgakle8fIQCEdEwL+GaKUZgCuwHESco7/t3JwbMs7dg0tvt9at9HtSK1Tzl00/0ezu98pTuQnKCaybwK',
    'th+kpAYXCYrtIbTmRblACUO8elNVEp5yLVV0O07EsKqHFBZfXxXXa7AhGhJfr/YU9bNOhQoxRAd2T0dQ96g10gKtTdC1AKfs',
    'sZnx4UKjA0yG7CKvxP11toDlM7OiyM2kCLfTt5Mw3CDJrZqNH132dD0zx04bGvMelHMK+ff0hFa/qD/gGbGcsLXTco+UZiB6',
    'OO3Giyy0qr8mVf9k5XnOsfo2lkI2qgjVwfoE26m61nc1xn6iY1hMzaqbRW9TKCXYNAE8aetNUIrjmURLk33VAoIBAQDASzrM',
    'QuqWRh+OHb6jxGN9EQVId9veYfYnjuKRk7PwcN+eBrvGM0qMzuklhVpXyz654A1JpS37+JiY5nKOq80dWYAygroL3ASPOqk8',
    '624XKwihQgg978lxc/gfPamey6et9I9RVcuJl8O5dtarFcMdjXcDKROb1XPLV8W663FyrV+023vSkH8qoDUWeRyH0eQ+vXAS',
    'YW2yWSLP1+8e+njfKl4DazOtGCxGzER3Z2MvqGTRcmNf5U6OCgK9WEim4UTaA+Q+SD/l7VPCxyY6Btq6GUUL+n+qajbmtrXD',
    'vQPlTMi5Ki4hLY/YCCMgeFpNH5Z3EarZxH2ES6uVgysgJoVrAoIBAQC/Wm6COcCogxxEMt//l3y9y/6YLq/hcyvol41ry8g7',
    'tR5cNe3wDQMYcyieCYmjgdTNyZcPvuMuyC61HKRtZ55XnaantEOjBFJcynryEXN7iw6hD+mU4652KmzKG7ZluvY9B8/VF1vn',
    'b1fHr3hqmyQ+Gg6BYwkWDQVzWdHuT5YD4uy63M8egceBvt9IZtiX3kX4qxfYYB1rIWxuuD7XOF9U5zzohqth/l3F/lKKzKTy',
    'xbcuz7BNx5GeVCUp3a8hTuvMB8wE2Abx1Wd5ZKKPuzRuRXks6U7nXEc4/0CBFslQiNF7RGglrK5t+MXu0IVD4sZ9ZFrdsgA8',
    'LO9aaosHs8EHAoIBABInR/6+lnznU9VL05KMWMQW1kPYJOaiouVrJNKPeh5J2aKGijWU5AXVBsenBjdhlaNgloCMWoH+HxHY',
    'N5pmd6+8olCibMPv2nJXHGEG7Na9Fkx6+mI2f/L4+sSgQqIeIc9XVixciCGONUkOAggWvtvMXh7rQtGkXhElUSJrVcN4wJ9H',
    'VTI0t/yjMT/U4S+lTgHqSmlBz2RV6+ZpQUbQaJbQ3h0+gptlu9BXOmN3XDLEl/f5742/DSJ1qXqMmhc/Dwvx8Bs9IOMo+45Y',
    '1LAHs6B8ADu4Q1MoQdSYDSLUdkiwbgalB8PUFE9VvVM0aXn8cGz/OvziAuN5bVJpFqorWM8CggEAPL105Kt2Z0cu+sr3ZYdt',
    'lkWhrCbtt2+6mVs6DeSiy6kjWPvZamCHAgTT+M5oPVmh9iyuYdYjAR+UC/NqkjvY/FDTrNpAugdOKZwwSJSXhrjOTPvjFlrr',
    'byDqZYFEdahSL29CXo7Kon0qbP1bCOP0Li5ROmr4YGKDv2jchXwHz3YB1RLwP+vMK3guIipbSGHK7jNJH2rrC62RYNflQqXn',
    'ROkd4WWWE0YN+CJRizOIjHOMQTS17wqRQ6PMJCz1QWpu2NYEwejc03j9HoB+RYeUDgjJfSMV48Tb6tDDZfaYspKrhChjssnM',
    'mKXmFndkRfc/MGBho4u0HWXaGGZHeYtqkwKCAQEAh4xHBM9ijqjaj7ZzQLBB4QPHu4P4J4wBhkBMMaB+sGqZs/WioJqhwSxW',
    'yTJTGqXBwh2YfV7diiVj+K3pnh1wZKQ0vP7D9QLy4gTCSM5fDBi/+Ex6ombpbnBrrWqZzvJ24XKacNqjYaI9kZ5M7diIecJy',
    'KmVuxZYZ5jHuMBsb18e+dl4A/re1IZI0tcrxMGM3MUUpZ78TlWSgP/UqpCXC3Y4OujXnc5vuACbFoPfixFDBr9n8gQYkRG7D',
    '2Jh61GATP9vCRxO9FD7TNvxvcNeFQO1d7VkZ91Mz9rkpsQ0w5nAJX12yinEVX7DdBdpQ1i/HnkhWeJLe7SOU/w16byt8Ug==',
  ],
};
