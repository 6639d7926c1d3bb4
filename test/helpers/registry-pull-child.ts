/**
 * Run as a separate process by test/registry-cache-concurrency.test.ts: pulls one image into a
 * shared cache and prints the digests it holds afterwards. Usage: HOST/REF CACHE_DIR
 */
import { RegistryClient } from '../../src/registry/client.js';

const [ref, cacheDir] = process.argv.slice(2) as [string, string];
const host = ref.split('/')[0]!;
const client = new RegistryClient({ cacheDir, credentials: null, insecure: [host], concurrency: 4 });
try {
  const img = await client.pull(ref);
  process.stdout.write(`${JSON.stringify({ digest: img.digest, layers: img.layers.map((l) => l.digest) })}\n`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 2;
} finally {
  await client.close();
}
