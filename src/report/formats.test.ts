import { describe, expect, it } from 'vitest';
import { formatIds, writerFor } from './formats.js';
import { writers } from './index.js';

describe('report formats', () => {
  it('list the registry of writers, in its order', () => {
    expect([...formatIds]).toEqual(Object.keys(writers));
  });
  it.each([...formatIds])('%s: its writer', async (id) => {
    const w = await writerFor(id);
    expect(w.id).toBe(id);
    expect(w).toBe(writers[id]);
  });
});
