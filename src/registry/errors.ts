/**
 * Registry failures. A RegistryError is an InputError by name (src/cli/exit.ts recognises errors
 * by name): the CLI prints its one or two lines and exits 2, and `scan` turns it into a gap for
 * that image. `kind` lets a caller tell the cases apart without parsing the message.
 */
import { InputError } from '../model/errors.js';

export type RegistryProblem =
  | 'auth' // 401/403: wrong or missing credentials
  | 'not-found' // 404: no such repository, tag or blob
  | 'network' // refused, unknown host, TLS, time-outs, 5xx after retries
  | 'protocol' // the registry answered something this client cannot use
  | 'integrity' // a manifest or blob that does not match its digest
  | 'limit' // over a size cap
  | 'platform' // an index without the wanted platform
  | 'offline' // not in the cache and --offline
  | 'reference'; // not an image reference

export class RegistryError extends InputError {
  // Named InputError so the CLI treats it as any input that cannot be used (exit 2, no stack).
  override name = 'InputError';
  constructor(
    message: string,
    readonly kind: RegistryProblem,
    /** The URL or reference the problem is about. */
    readonly where?: string,
  ) {
    super(message, where);
  }
}

export const isRegistryError = (e: unknown): e is RegistryError => e instanceof RegistryError;
