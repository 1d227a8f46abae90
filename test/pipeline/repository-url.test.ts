import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { BridgeError } from '../../src/errors.js';
import {
  gitHostForApiUrl,
  pipelineRepositoryUrl,
  repositoryForUrl,
  translateSshToHttps,
} from '../../src/pipeline/repository-url.js';

const hosts = ['github.com', 'ghe.example.com', 'ghe.example.com:8443'] as const;

/** Path segments built from the pieces that matter to URL parsing and percent-decoding. */
const segmentLike = fc.string({
  unit: fc.constantFrom('a', 'B', '.', '.git', '%', '2F', '25', '41', '2e', '?', '#', ' ', '\\', '\n', 'é'),
  maxLength: 4,
});

/** Strings that often look like repository URLs under `prefix`, plus arbitrary ones. */
const urlLike = (prefix: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'binary' }).map((rest) => `${prefix}${rest}`),
    fc.tuple(segmentLike, segmentLike).map(([owner, name]) => `${prefix}${owner}/${name}`),
  );

describe('translateSshToHttps', () => {
  describe('when the URL is the SSH form on the git host', () => {
    it.each([
      ['git@github.com:acme/widget.git', 'https://github.com/acme/widget.git'],
      ['git@github.com:acme/widget', 'https://github.com/acme/widget'],
      ['git@github.com:ab', 'https://github.com/ab'],
    ])('rewrites %s to %s, keeping any .git suffix', (url, expected) => {
      expect(translateSshToHttps(url, 'github.com')).toBe(expected);
    });

    it('uses a GitHub Enterprise host', () => {
      expect(translateSshToHttps('git@ghe.example.com:acme/widget.git', 'ghe.example.com')).toBe(
        'https://ghe.example.com/acme/widget.git',
      );
    });

    it('matches the hostname without the port and keeps the port in the HTTPS URL', () => {
      expect(translateSshToHttps('git@ghe.example.com:acme/widget.git', 'ghe.example.com:8443')).toBe(
        'https://ghe.example.com:8443/acme/widget.git',
      );
    });
  });

  describe('when the URL is anything else', () => {
    it.each([
      ['an absolute SSH path', 'git@github.com:/acme/widget.git'],
      ['an ssh:// URL', 'ssh://git@github.com/acme/widget.git'],
      ['an HTTPS URL', 'https://github.com/acme/widget.git'],
      ['another host', 'git@gitlab.com:acme/widget.git'],
      ['a host in other letter case', 'git@GitHub.com:acme/widget.git'],
      ['another user', 'deploy@github.com:acme/widget.git'],
      ['a one-character path', 'git@github.com:a'],
      ['an empty path', 'git@github.com:'],
      ['a line break in the path', 'git@github.com:acme/\nwidget'],
      ['the empty string', ''],
    ])('returns %s unchanged', (_label, url) => {
      expect(translateSshToHttps(url, 'github.com')).toBe(url);
    });

    it('returns the SSH form of another host unchanged on GitHub Enterprise', () => {
      const url = 'git@github.com:acme/widget.git';
      expect(translateSshToHttps(url, 'ghe.example.com')).toBe(url);
    });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...hosts), fc.string({ unit: 'binary' }), fc.boolean(), (host, rest, ssh) => {
        const hostname = host.replace(/:\d+$/, '');
        const url = ssh ? `git@${hostname}:${rest}` : rest;
        const once = translateSshToHttps(url, host);
        expect(translateSshToHttps(once, host)).toBe(once);
      }),
    );
  });
});

describe('repositoryForUrl', () => {
  describe('when the URL names a repository on the git host', () => {
    it.each([
      ['https://github.com/acme/widget', { owner: 'acme', name: 'widget' }],
      ['https://github.com/acme/widget.git', { owner: 'acme', name: 'widget' }],
      ['https://github.com/acme/widget?x=1#y', { owner: 'acme', name: 'widget' }],
      ['https://github.com:443/acme/widget', { owner: 'acme', name: 'widget' }],
      ['https://github.com/acme/wid%C3%A9get', { owner: 'acme', name: 'widéget' }],
    ])('reads %s', (url, expected) => {
      expect(repositoryForUrl(url, 'github.com')).toEqual(expected);
    });

    it('reads a GitHub Enterprise URL with a non-default port', () => {
      expect(repositoryForUrl('https://ghe.example.com:8443/acme/widget.git', 'ghe.example.com:8443')).toEqual({
        owner: 'acme',
        name: 'widget',
      });
    });
  });

  describe('when the URL names no repository on the git host', () => {
    it.each([
      ['another host', 'https://example.com/acme/widget'],
      ['a trailing-dot host', 'https://github.com./acme/widget'],
      ['a non-default port', 'https://github.com:8443/acme/widget'],
      ['http', 'http://github.com/acme/widget'],
      ['an SSH URL', 'git@github.com:acme/widget.git'],
      ['an ssh:// URL', 'ssh://git@github.com/acme/widget.git'],
      ['a scheme without slashes', 'https:github.com/acme/widget'],
      ['leading whitespace', ' https://github.com/acme/widget'],
      ['an owner only', 'https://github.com/acme'],
      ['a nested path', 'https://github.com/acme/sub/widget'],
      ['a trailing slash', 'https://github.com/acme/widget/'],
      ['an empty owner', 'https://github.com//widget'],
      ['a name that is only .git', 'https://github.com/acme/.git'],
      ['a name still ending in .git', 'https://github.com/acme/widget.git.git'],
      ['an encoded slash', 'https://github.com/acme%2Fsub/widget'],
      ['an encoded space', 'https://github.com/acme/wid%20get'],
      ['an encoded control character', 'https://github.com/acme/wid%07get'],
      ['an encoded percent sign', 'https://github.com/acme/wid%25get'],
      ['malformed percent-encoding', 'https://github.com/acme/wid%E0get'],
      ['the root path', 'https://github.com/'],
      ['garbage', 'not a url'],
      ['CR LF the parser would drop', 'https://github.com/acme/crlf.git\r\nhost=evil.com'],
      ['a tab inside the owner', 'https://github.com/ac\tme/widget'],
      ['a trailing LF', 'https://github.com/acme/widget.git\n'],
      ['DEL', 'https://github.com/acme/widget\u007f'],
    ])('returns undefined for %s', (_label, url) => {
      expect(repositoryForUrl(url, 'github.com')).toBeUndefined();
    });

    it('returns undefined for github.com when the git host is GitHub Enterprise', () => {
      expect(repositoryForUrl('https://github.com/acme/widget', 'ghe.example.com')).toBeUndefined();
    });
  });

  it('never throws, and what it returns maps back to itself', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...hosts).chain((host) => fc.tuple(fc.constant(host), urlLike(`https://${host}/`))),
        ([host, url]) => {
          const repository = repositoryForUrl(url, host);
          if (repository === undefined) return;
          expect(repositoryForUrl(`https://${host}/${repository.owner}/${repository.name}`, host)).toEqual(
            repository,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('returns undefined wherever a C0 control or DEL is inserted into a valid URL', () => {
    const control = fc.integer({ min: 0, max: 0x20 }).map((code) => String.fromCharCode(code === 0x20 ? 0x7f : code));
    fc.assert(
      fc.property(fc.constantFrom(...hosts), fc.nat(), control, (host, at, character) => {
        const url = `https://${host}/acme/widget.git`;
        const position = at % (url.length + 1);
        expect(repositoryForUrl(url.slice(0, position) + character + url.slice(position), host)).toBeUndefined();
      }),
    );
  });

  it('reads back every plain owner and name', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,38}$/).filter((s) => !s.endsWith('.git'));
    fc.assert(
      fc.property(fc.constantFrom(...hosts), segment, segment, (host, owner, name) => {
        expect(repositoryForUrl(`https://${host}/${owner}/${name}.git`, host)).toEqual({ owner, name });
      }),
    );
  });
});

describe('pipelineRepositoryUrl', () => {
  it('answers the URL Buildkite has, without surrounding spaces', () => {
    expect(pipelineRepositoryUrl('  git@github.com:acme/widget.git ')).toBe('git@github.com:acme/widget.git');
  });

  it.each([
    ['CR LF', 'https://github.com/acme/crlf.git\r\nhost=evil.com'],
    ['a tab', 'https://github.com/acme/wid\tget.git'],
    ['a trailing LF', 'https://github.com/acme/widget.git\n'],
    ['NUL', 'git@github.com:acme/\u0000widget.git'],
    ['DEL', 'https://github.com/acme/widget.git\u007f'],
  ])('refuses a URL with %s as the pipeline\'s choice (upstream_refused)', (_case, url) => {
    let thrown: unknown;
    try {
      pipelineRepositoryUrl(url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BridgeError);
    expect(thrown).toMatchObject({ code: 'upstream_refused' });
  });
});

describe('gitHostForApiUrl', () => {
  it.each([
    ['https://api.github.com', 'github.com'],
    ['https://api.github.com/', 'github.com'],
    ['https://ghe.example.com/api/v3', 'ghe.example.com'],
    ['https://ghe.example.com/api/v3/', 'ghe.example.com'],
    ['https://ghe.example.com:8443/api/v3', 'ghe.example.com:8443'],
    ['https://ghe.example.com:443/api/v3', 'ghe.example.com'],
  ])('maps %s to %s', (apiUrl, expected) => {
    expect(gitHostForApiUrl(apiUrl)).toBe(expected);
  });

  it('throws an internal error for a value that is not an absolute URL', () => {
    expect(() => gitHostForApiUrl('api.github.com')).toThrow(expect.objectContaining({ code: 'internal' }));
  });
});
