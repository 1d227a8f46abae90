import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../src/errors.js';
import { credentialTarget } from '../../src/http/git-credential-format.js';

/** The `code` of what `run` throws, or undefined when it returns. */
function thrownCode(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof BridgeError ? error.code : 'not a BridgeError';
  }
}

const target = (pairs: Record<string, string>) => credentialTarget(new Map(Object.entries(pairs)), 'github.com');

describe('credentialTarget', () => {
  describe('when protocol, host or path holds a control character', () => {
    it.each([
      ['a tab in the path', { protocol: 'https', host: 'github.com', path: 'acme/wid\tget' }],
      ['a CR in the path', { protocol: 'https', host: 'github.com', path: 'acme/widget.git\rhost=evil.com' }],
      ['DEL in the path', { protocol: 'https', host: 'github.com', path: 'acme/widget\u007f' }],
      ['a LF in the host', { protocol: 'https', host: 'github.com\n', path: 'acme/widget' }],
      ['NUL in the protocol', { protocol: 'https\u0000', host: 'github.com', path: 'acme/widget' }],
      ['a tab in the host of another server', { protocol: 'https', host: 'evil\t.com', path: 'acme/widget' }],
    ])('throws request_invalid for %s, before reading it as a URL', (_case, pairs) => {
      expect(thrownCode(() => target(pairs))).toBe('request_invalid');
    });

    it('throws request_invalid wherever one is inserted into a valid request', () => {
      const control = fc.integer({ min: 0, max: 0x20 }).map((code) => String.fromCharCode(code === 0x20 ? 0x7f : code));
      const field = fc.constantFrom('protocol', 'host', 'path');
      fc.assert(
        fc.property(field, fc.nat(), control, (name, at, character) => {
          const pairs: Record<string, string> = { protocol: 'https', host: 'github.com', path: 'acme/widget.git' };
          const value = pairs[name] ?? '';
          const position = at % (value.length + 1);
          pairs[name] = value.slice(0, position) + character + value.slice(position);
          expect(thrownCode(() => target(pairs))).toBe('request_invalid');
        }),
      );
    });
  });
});
