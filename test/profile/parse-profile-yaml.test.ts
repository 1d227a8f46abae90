import { describe, expect, it } from 'vitest';
import { parseProfileYaml } from '../../src/profile/parse-profile-yaml.js';

describe('parseProfileYaml', () => {
  it('keeps numbers and booleans as the text written, as a string-typed decoder does', () => {
    expect(parseProfileYaml('a: 42\nb: 1.50\nc: 007\nd: true\ne: 0x10\nf: "quoted"\n')).toEqual({
      ok: true,
      document: { a: '42', b: '1.50', c: '007', d: 'true', e: '0x10', f: 'quoted' },
    });
  });

  it('keeps null as null', () => {
    expect(parseProfileYaml('a: ~\nb:\nc: null\n')).toEqual({ ok: true, document: { a: null, b: null, c: null } });
  });

  it('reads an empty file as null', () => {
    expect(parseProfileYaml('')).toEqual({ ok: true, document: null });
  });

  it('resolves merge keys', () => {
    expect(parseProfileYaml('base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n')).toEqual({
      ok: true,
      document: { base: { x: '1' }, m: { x: '1', y: '2' } },
    });
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an unclosed flow sequence', 'a: [1, 2\n'],
  ])('refuses %s', (_what, text) => {
    expect(parseProfileYaml(text)).toEqual({ ok: false, problem: expect.stringMatching(/^[^\n]+$/) });
  });
});
