import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileProfileSource } from '../../src/profile/profile-source.js';

const readText = (path: string): Promise<string> => readFile(path, 'utf8');

describe('file profile source', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'profile-source-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('names itself file:<path>', () => {
    const path = join(directory, 'profiles.yaml');
    expect(createFileProfileSource(path, readText).location).toBe(`file:${path}`);
  });

  describe('when the file exists', () => {
    it('answers its whole text', async () => {
      const path = join(directory, 'profiles.yaml');
      await writeFile(path, 'organization:\n  profiles: []\n');
      await expect(createFileProfileSource(path, readText).read()).resolves.toBe('organization:\n  profiles: []\n');
    });

    it('reads the file afresh each time, so an edit is seen by the next read', async () => {
      const path = join(directory, 'profiles.yaml');
      const source = createFileProfileSource(path, readText);
      await writeFile(path, 'first\n');
      await expect(source.read()).resolves.toBe('first\n');
      await writeFile(path, 'second\n');
      await expect(source.read()).resolves.toBe('second\n');
    });
  });

  describe('when the file does not exist', () => {
    it('rejects with the filesystem error', async () => {
      const source = createFileProfileSource(join(directory, 'missing.yaml'), readText);
      await expect(source.read()).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
