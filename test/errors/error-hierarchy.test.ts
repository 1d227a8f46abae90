import { describe, expect, it } from 'vitest';
import {
  BridgeError,
  CacheValueUnreadableError,
  CircuitOpenError,
  CodedError,
  RateLimitedError,
  DecryptFailedError,
  errorTable,
  PasswordUnavailableError,
  toBridgeError,
  UndocumentedVariableError,
  UpstreamFailedError,
  UpstreamRateLimitedError,
  ValkeyAddressInvalidError,
  ValkeyCommandError,
  ValkeyTimeoutError,
} from '../../src/errors.js';

const nonRequestErrors = [
  new UndocumentedVariableError('SOME_VARIABLE', 'group'),
  new ValkeyAddressInvalidError('nowhere'),
  new PasswordUnavailableError('no_answer', 5_000),
  new ValkeyCommandError('GET', { cause: new Error('ECONNRESET') }),
  new ValkeyTimeoutError('GET', 200),
  new CacheValueUnreadableError('key', 'malformed', true, { cause: 'not a cached value' }),
  new CircuitOpenError(),
  new DecryptFailedError(),
];

describe('error hierarchy', () => {
  describe('an error a request can meet', () => {
    it('is a coded error whose answer is its error table entry', () => {
      const error = new UpstreamFailedError('github', 'installation token', 'HTTP 500');
      expect(error).toBeInstanceOf(CodedError);
      expect(error.response).toBe(errorTable.upstream_failed);
    });
  });

  describe('a rate limit', () => {
    it("of the caller's own mints is a 429 denial that says when to come back", () => {
      const error = new RateLimitedError('acme/web', 17);
      expect(error.response).toMatchObject({ status: 429, outcome: 'denied' });
      expect(error.retryAfterSeconds).toBe(17);
    });

    it('spent upstream is a 503 failure that says when to come back', () => {
      const error = new UpstreamRateLimitedError('github', 'installation token', 42);
      expect(error.response).toMatchObject({ status: 503, outcome: 'failed' });
      expect(error.retryAfterSeconds).toBe(42);
    });

    it('is the only kind of request error with a Retry-After', () => {
      expect(new UpstreamFailedError('github', 'installation token', 'HTTP 500').retryAfterSeconds).toBeUndefined();
    });
  });

  describe('an error that never reaches a caller as a status', () => {
    it.each(nonRequestErrors.map((error) => [error.code, error] as const))('%s is a coded error, not a request error', (_code, error) => {
      expect(error).toBeInstanceOf(CodedError);
      expect(error).not.toBeInstanceOf(BridgeError);
    });

    it('is answered as internal when one reaches a request anyway', () => {
      const failure = new CircuitOpenError();
      expect(toBridgeError(failure)).toMatchObject({ code: 'internal', cause: failure });
    });
  });

  describe('a password provider that failed', () => {
    it('keeps the failure as the cause', () => {
      const cause = Object.assign(new Error('secret-free detail'), { code: 'CredentialsProviderError' });
      expect(new PasswordUnavailableError('failed', 5_000, { cause })).toMatchObject({
        code: 'password_unavailable',
        reason: 'failed',
        cause,
      });
    });
  });
});
