import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repositoryForUrl } from '../../src/pipeline/repository-url.js';
import type { ResolvedProfile } from '../../src/profile/profile-resolver.js';
import { covers } from '../../src/vending/token-rules.js';
import { profileToken, resolvedProfile, startMs } from './vend-fixtures.js';

const numRuns = 300;
const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,20}$/).filter((s) => !s.endsWith('.git'));
const anyUrl = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.tuple(segment, segment, fc.constantFrom('', '.git', '/', '%2F', '\r\n', '?x')).map(([o, n, t]) => `https://github.com/${o}/${n}${t}`),
);
const token = profileToken(startMs + 3600_000);
/** `covers` reads an organization profile's family and owner only. */
function organizationProfile(owner: string): ResolvedProfile {
  return { ...resolvedProfile(), family: 'organization', owner, scopedRepository: undefined } as unknown as ResolvedProfile;
}

describe('covers, on arbitrary input', () => {
  it('covers, for a pipeline token, its own repository URL and no other string', () => {
    fc.assert(
      fc.property(anyUrl, anyUrl, (own, asked) => {
        expect(covers({ ...token, repositoryUrl: own }, resolvedProfile(), asked, 'github.com')).toBe(asked === own);
      }),
      { numRuns },
    );
  });

  it('covers, for an organization token, only URLs naming a repository of its owner that it holds', () => {
    fc.assert(
      fc.property(segment, fc.array(segment, { maxLength: 4 }), fc.boolean(), anyUrl, (owner, names, wildcard, asked) => {
        const repositories = wildcard ? { wildcard: true as const } : { names };
        const covered = covers({ ...token, repositories }, organizationProfile(owner), asked, 'github.com');
        const named = repositoryForUrl(asked, 'github.com');
        const expected = named !== undefined && named.owner.toLowerCase() === owner.toLowerCase() && (wildcard || names.includes(named.name));
        expect(covered).toBe(expected);
      }),
      { numRuns },
    );
  });

  it('covers every spelling of a held repository, and nothing of another owner', () => {
    fc.assert(
      fc.property(segment, segment, segment, fc.constantFrom('', '.git'), (owner, name, other, suffix) => {
        const held = { ...token, repositories: { names: [name] } };
        expect(covers(held, organizationProfile(owner), `https://github.com/${owner.toUpperCase()}/${name}${suffix}`, 'github.com')).toBe(true);
        if (other.toLowerCase() !== owner.toLowerCase()) {
          expect(covers(held, organizationProfile(owner), `https://github.com/${other}/${name}${suffix}`, 'github.com')).toBe(false);
        }
      }),
      { numRuns },
    );
  });
});
