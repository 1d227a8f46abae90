import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permissionFields, toGitHubPermissions, withMetadataRead } from '../../src/github/permissions.js';

describe('toGitHubPermissions', () => {
  describe('when every entry is field:action', () => {
    it('answers GitHub’s permissions object', () => {
      expect(toGitHubPermissions(['contents:read', 'pull_requests:write', 'metadata:read'])).toEqual({
        ok: true,
        permissions: { contents: 'read', pull_requests: 'write', metadata: 'read' },
      });
    });

    it('keeps the last action of a repeated field', () => {
      expect(toGitHubPermissions(['contents:read', 'contents:write'])).toEqual({
        ok: true,
        permissions: { contents: 'write' },
      });
    });

    it('answers an empty object for no entries', () => {
      expect(toGitHubPermissions([])).toEqual({ ok: true, permissions: {} });
    });
  });

  describe('when entries are malformed', () => {
    it('reports every one of them', () => {
      const result = toGitHubPermissions(['contents', 'secretz:read', 'contents:admin', 'issues:write', 'contents:read:x']);
      expect(result).toEqual({ ok: false, problems: expect.any(Array) });
      expect(result.ok ? [] : result.problems).toHaveLength(4);
    });

    it.each(['contents', 'Contents:read', 'contents:Read', ':read', 'contents:', 'contents: read'])('refuses %j', (entry) => {
      expect(toGitHubPermissions([entry])).toEqual({ ok: false, problems: [expect.any(String)] });
    });
  });

  it('accepts exactly the known fields with read or write, for any list of entries', () => {
    const entry = fc.oneof(
      fc.tuple(fc.constantFrom(...permissionFields), fc.constantFrom('read', 'write')).map(([f, a]) => `${f}:${a}`),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(entry), (entries) => {
        const valid = (e: string) => /^[a-z_]+:(read|write)$/.test(e) && permissionFields.has(e.split(':')[0] ?? '');
        expect(toGitHubPermissions(entries).ok).toBe(entries.every(valid));
      }),
    );
  });
});

describe('withMetadataRead', () => {
  it('appends metadata:read, keeping the order', () => {
    expect(withMetadataRead(['pull_requests:write', 'contents:read'])).toEqual([
      'pull_requests:write',
      'contents:read',
      'metadata:read',
    ]);
  });

  it('does not add it twice, nor change the given list', () => {
    const entries = ['metadata:read', 'contents:read'];
    const result = withMetadataRead(entries);
    expect(result).toEqual(['metadata:read', 'contents:read']);
    expect(result).not.toBe(entries);
  });

  it('adds it beside metadata:write', () => {
    expect(withMetadataRead(['metadata:write'])).toEqual(['metadata:write', 'metadata:read']);
  });
});
