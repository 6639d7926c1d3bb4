/**
 * Network failures in words a user can act on. Node, undici and OpenSSL report them as codes
 * and library text (`ERR_SSL_WRONG_VERSION_NUMBER: 80CC…:error:0A00010B:SSL routines:…`); the
 * HTTP clients (repository, OSV API, `db update`) print what this returns instead, after the URL.
 * Each problem also says whether trying again can help, so that a refused connection or a TLS
 * mismatch is not retried for a minute.
 */
import { STATUS_CODES } from 'node:http';

/** `yes`: transient (resets, time-outs); `once`: one quick retry at most; `no`: retrying cannot help. */
export type RetryAdvice = 'yes' | 'once' | 'no';

export interface NetworkProblem {
  /** One line, without the URL: "connection refused", "TLS handshake failed: …". */
  text: string;
  retry: RetryAdvice;
}

const CA_HINT = 'CHARTAUDIT_EXTRA_CA_CERTS may name a PEM file with the CA to trust';

/** Certificate verification codes (OpenSSL's X509_V_ERR names as Node reports them). */
const CERT_TEXT: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: `TLS certificate not trusted: it is self-signed (${CA_HINT})`,
  SELF_SIGNED_CERT_IN_CHAIN: `TLS certificate not trusted: its chain ends in a self-signed CA this machine does not trust (${CA_HINT})`,
  UNABLE_TO_GET_ISSUER_CERT: `TLS certificate not trusted: issued by an unknown CA (${CA_HINT})`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `TLS certificate not trusted: issued by an unknown CA (${CA_HINT})`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `TLS certificate not trusted: issued by an unknown CA (${CA_HINT})`,
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  CERT_NOT_YET_VALID: 'TLS certificate not valid yet (is this machine\'s clock right?)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host name',
  CERT_REVOKED: 'TLS certificate revoked',
};

/** OpenSSL's answer when the other side does not speak TLS (it sent plain HTTP, SSH, …). */
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_RECORD_LAYER_FAILURE']);

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e?.cause && typeof e.cause.code === 'string') return e.cause.code;
  return '';
}

function messageOf(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | null;
  const m = typeof e?.message === 'string' && e.message !== '' ? e.message : typeof e?.cause?.message === 'string' ? e.cause.message : String(err);
  return m;
}

/**
 * The first line of a library message, with OpenSSL's `<hex>:error:<hex>:<lib>:<func>:` prefix
 * and source location dropped: `wrong version number`.
 */
export function plainMessage(message: string): string {
  const first = message.split('\n', 1)[0]!.trim();
  const ssl = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(first);
  return (ssl ? ssl[1]! : first).trim();
}

/** What went wrong with a request to `url` that threw `err` before (or while) an answer came. */
export function describeNetworkFailure(err: unknown, url: string): NetworkProblem {
  const code = codeOf(err);
  const message = messageOf(err);
  const name = (err as { name?: unknown } | null)?.name;
  let protocol = '';
  let host = '';
  try {
    const u = new URL(url);
    protocol = u.protocol;
    host = u.hostname;
  } catch {
    // the caller checked the URL; keep going without the hints
  }
  if (NOT_TLS.has(code) || (protocol === 'https:' && /wrong version number|packet length too long|http request/i.test(message))) {
    return { text: 'TLS handshake failed: the server does not speak TLS (is it http://?)', retry: 'no' };
  }
  if (CERT_TEXT[code]) return { text: CERT_TEXT[code]!, retry: 'no' };
  if (/^(CERT_|UNABLE_TO_|ERR_TLS_|X509_)/.test(code)) return { text: `TLS certificate not accepted (${code})`, retry: 'no' };
  if (code.startsWith('ERR_SSL_')) return { text: `TLS handshake failed (${plainMessage(message)})`, retry: 'no' };
  switch (code) {
    case 'ECONNREFUSED':
      return { text: 'connection refused', retry: 'once' };
    case 'ENOTFOUND':
      return { text: `host ${host || '?'} not found`, retry: 'no' };
    case 'EAI_AGAIN':
      return { text: `cannot look up host ${host || '?'} (DNS did not answer)`, retry: 'yes' };
    case 'ENETUNREACH':
      return { text: 'network unreachable (no route; is this machine online?)', retry: 'yes' };
    case 'EHOSTUNREACH':
      return { text: 'host unreachable', retry: 'yes' };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { text: 'connection timed out', retry: 'yes' };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { text: 'no response', retry: 'yes' };
    case 'UND_ERR_BODY_TIMEOUT':
      return { text: 'the response stalled', retry: 'yes' };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { text: 'truncated response (fewer bytes than Content-Length)', retry: 'yes' };
    case 'ECONNRESET':
      if (/before secure TLS connection/i.test(message)) return { text: 'connection closed during the TLS handshake', retry: 'yes' };
      return { text: 'connection reset', retry: 'yes' };
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      // A TLS server sent a plain-http request closes the connection without a word.
      return { text: `the server closed the connection${protocol === 'http:' ? ' (if it speaks TLS, use https://)' : ''}`, retry: 'yes' };
    default:
      break;
  }
  if (name === 'HTTPParserError' || /does not match the HTTP\/1\.1 protocol/.test(message)) {
    return { text: 'the server did not answer in HTTP (is the port right?)', retry: 'no' };
  }
  if (/other side closed|socket hang up/i.test(message)) return { text: 'the server closed the connection', retry: 'yes' };
  return { text: `network error (${code ? `${code}: ` : ''}${plainMessage(message)})`, retry: 'yes' };
}

/** `HTTP 404 Not Found`. */
export function httpStatusText(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** `1 try`, `3 tries`. */
export const triesText = (n: number): string => (n === 1 ? '1 try' : `${n} tries`);
