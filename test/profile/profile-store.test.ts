import { describe, expect, it } from 'vitest';
import { builtInGeneration } from '../../src/profile/built-in-profiles.js';
import { createProfileStore } from '../../src/profile/profile-store.js';

describe('profile store', () => {
  describe('when created without a generation', () => {
    it('has no current generation and no load time', () => {
      const store = createProfileStore();
      expect(store.current()).toBeUndefined();
      expect(store.loadedAtMs).toBeUndefined();
    });
  });

  describe('when seeded with the built-in generation', () => {
    it('serves it, marked as never loaded', () => {
      const seed = builtInGeneration();
      const store = createProfileStore(seed);
      expect(store.current()).toBe(seed);
      expect(store.loadedAtMs).toBeUndefined();
    });
  });

  describe('when a generation replaces another', () => {
    it('serves the new generation whole, with its load time', () => {
      const store = createProfileStore(builtInGeneration());
      const loaded = { ...builtInGeneration(), digest: 'abc123' };
      store.replace(loaded, 1_000);
      expect(store.current()).toBe(loaded);
      expect(store.loadedAtMs).toBe(1_000);
    });

    it('leaves a generation already read by a request untouched', () => {
      const seed = builtInGeneration();
      const store = createProfileStore(seed);
      const read = store.current();
      store.replace({ ...builtInGeneration(), digest: 'abc123' }, 1_000);
      expect(read).toBe(seed);
      expect(read?.digest).toBe('default-profile:v1');
    });

    it('forgets the load time when the new generation was not loaded', () => {
      const store = createProfileStore();
      store.replace(builtInGeneration(), 1_000);
      store.replace(builtInGeneration());
      expect(store.loadedAtMs).toBeUndefined();
    });
  });
});
