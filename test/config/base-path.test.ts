import { describe, expect, it } from 'vitest';
import { normalizeBasePath } from '../../src/config/base-path.js';
import { loadConfig } from '../../src/config/load-config.js';
import { generateAppKey, minimalEnv, noFiles } from './env-fixtures.js';

describe('normalizeBasePath', () => {
  describe('when the value names no prefix', () => {
    it.each(['', '   ', '/', '///'])('gives no prefix for %j', (raw) => {
      expect(normalizeBasePath(raw)).toEqual({ ok: true, basePath: '' });
    });
  });

  describe('when the value names a prefix (contract §2.2 table)', () => {
    it.each([
      ['test', '/test'],
      ['/test', '/test'],
      ['/test/', '/test'],
      ['  /test  ', '/test'],
      ['api/v1', '/api/v1'],
      ['/api/v1/', '/api/v1'],
      ['/api/v1/service', '/api/v1/service'],
    ])('normalises %j to %j', (raw, basePath) => {
      expect(normalizeBasePath(raw)).toEqual({ ok: true, basePath });
    });

    it.each([
      ['/test//', '/test'],
      ['test///', '/test'],
    ])('strips every trailing slash of %j, as Chinmina does', (raw, basePath) => {
      expect(normalizeBasePath(raw)).toEqual({ ok: true, basePath });
    });
  });

  describe('when the value has an empty segment', () => {
    it.each(['/test//path', '//test'])('refuses %j', (raw) => {
      expect(normalizeBasePath(raw)).toEqual({ ok: false, problem: expect.stringContaining('double slashes') });
    });
  });

  describe('through loadConfig', () => {
    const env = minimalEnv(generateAppKey().pkcs1);

    it('serves under the normalised prefix', () => {
      expect(loadConfig({ ...env, SERVER_BASE_PATH: 'bridge/' }, noFiles)).toMatchObject({
        ok: true,
        config: { server: { basePath: '/bridge' } },
      });
    });

    it('refuses a double slash as a SERVER_BASE_PATH problem', () => {
      expect(loadConfig({ ...env, SERVER_BASE_PATH: '/a//b' }, noFiles)).toEqual({
        ok: false,
        problems: [expect.stringMatching(/^SERVER_BASE_PATH: .*double slashes/)],
      });
    });
  });
});
