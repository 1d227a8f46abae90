import { describe, expect, it } from 'vitest';
import { UpstreamRefusedError } from '../../src/errors.js';
import { auditedVendor } from '../../src/vending/audited-vendor.js';
import type { ProfileToken, VendRequest } from '../../src/vending/vendor.js';
import { countingVendor, minute, profileToken, startMs, vendRequest, widgetUrl } from './vend-fixtures.js';

const expiresAtMs = startMs + 60 * minute;
const noAccount = () => undefined;

describe('audited vendor', () => {
  describe('when a token is issued', () => {
    it('records its details and its hash, never the token', async () => {
      const token = profileToken(expiresAtMs, 'ghs_SuperSecretInstallationToken0123');
      const vendor = auditedVendor(countingVendor(async () => ({ kind: 'issued', token })).vendor, noAccount);
      const request = vendRequest();
      await expect(vendor(request)).resolves.toEqual({ kind: 'issued', token });
      expect(request.audit.outcome).toBe('issued');
      expect(request.audit.token).toEqual({
        vendedRepository: widgetUrl,
        hashedToken: token.hashedToken,
        repositories: ['widget'],
        permissions: ['contents:read', 'metadata:read'],
        expiresAtMs,
      });
      expect(JSON.stringify(request.audit.render(200, startMs))).not.toContain(token.token);
    });

    it('records the account of the installation the token comes from', async () => {
      const token = profileToken(expiresAtMs);
      const request = vendRequest();
      const accounts: [string, string][] = [];
      const accountOf = (issued: ProfileToken, of: VendRequest) => {
        accounts.push([issued.repositoryUrl, of.resolved.urn]);
        return 'Acme';
      };
      await auditedVendor(countingVendor(async () => ({ kind: 'issued', token })).vendor, accountOf)(request);
      expect(request.audit.token).toMatchObject({ vendedRepository: widgetUrl, installationAccount: 'Acme' });
      expect(accounts).toEqual([[widgetUrl, request.resolved.urn]]);
    });

    it('records a token for every repository as {{all-repositories}}', async () => {
      const token: ProfileToken = { ...profileToken(expiresAtMs), repositories: { wildcard: true } };
      const request = vendRequest();
      await auditedVendor(countingVendor(async () => ({ kind: 'issued', token })).vendor, noAccount)(request);
      expect(request.audit.token.repositories).toEqual(['{{all-repositories}}']);
    });

    it('still renders the audit record when GitHub’s expiry is unreadable', async () => {
      const token: ProfileToken = { ...profileToken(expiresAtMs), expiry: 'not a time' };
      const request = vendRequest();
      await auditedVendor(countingVendor(async () => ({ kind: 'issued', token })).vendor, noAccount)(request);
      expect(() => request.audit.render(200, startMs)).not.toThrow();
    });
  });

  describe('when no credentials are vended for the repository', () => {
    it('records the outcome unmatched and no token', async () => {
      const request = vendRequest();
      await expect(auditedVendor(countingVendor(async () => ({ kind: 'unmatched' })).vendor, noAccount)(request)).resolves.toEqual({
        kind: 'unmatched',
      });
      expect(request.audit.outcome).toBe('unmatched');
      expect(request.audit.token).toEqual({});
    });
  });

  describe('when the chain fails', () => {
    it('records the error and rethrows it unchanged', async () => {
      const failure = new UpstreamRefusedError('buildkite', 'pipeline acme/widget not found');
      const request = vendRequest();
      const vendor = auditedVendor(countingVendor(() => Promise.reject(failure)).vendor, noAccount);
      await expect(vendor(request)).rejects.toBe(failure);
      expect(request.audit.render(403, startMs)).toMatchObject({ error: expect.stringContaining(failure.message) });
      expect(request.audit.token).toEqual({});
    });
  });
});
