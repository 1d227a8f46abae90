import { describe, expect, it } from 'vitest';
import { UpstreamFailedError } from '../../src/errors.js';
import { coalescedVendor } from '../../src/vending/coalesced-vendor.js';
import type { VendResult } from '../../src/vending/vendor.js';
import { countingVendor, minute, profileToken, resolvedProfile, startMs, vendRequest, widgetUrl } from './vend-fixtures.js';

/** An inner vendor that answers once the test releases it. */
function gatedVendor() {
  let release!: (result: VendResult | Error) => void;
  const gate = new Promise<VendResult | Error>((resolve) => {
    release = resolve;
  });
  const inner = countingVendor(async () => {
    const outcome = await gate;
    if (outcome instanceof Error) throw outcome;
    return outcome;
  });
  return { ...inner, release };
}

const issued: VendResult = { kind: 'issued', token: profileToken(startMs + 60 * minute) };

describe('coalesced vendor', () => {
  describe('when 20 requests for the same token arrive together', () => {
    it('passes one through and gives all 20 its result', async () => {
      const { vendor: inner, calls, release } = gatedVendor();
      const vendor = coalescedVendor(inner);
      const results = Promise.all(Array.from({ length: 20 }, () => vendor(vendRequest())));
      release(issued);
      await expect(results).resolves.toEqual(Array.from({ length: 20 }, () => issued));
      expect(calls).toHaveLength(1);
    });

    it('gives all of them the one failure', async () => {
      const { vendor: inner, calls, release } = gatedVendor();
      const vendor = coalescedVendor(inner);
      const results = Promise.allSettled(Array.from({ length: 20 }, () => vendor(vendRequest())));
      release(new UpstreamFailedError('github', 'installation token', 'HTTP 500'));
      const settled = await results;
      expect(settled.every((r) => r.status === 'rejected' && r.reason instanceof UpstreamFailedError)).toBe(true);
      expect(calls).toHaveLength(1);
    });
  });

  describe('when the requests differ in profile or requested repository', () => {
    it('passes each kind through on its own', async () => {
      const { vendor: inner, calls, release } = gatedVendor();
      const vendor = coalescedVendor(inner);
      const results = Promise.all([
        vendor(vendRequest()),
        vendor(vendRequest({ requestedRepositoryUrl: widgetUrl })),
        vendor(vendRequest({ resolved: resolvedProfile({ name: 'deploy' }) })),
      ]);
      release(issued);
      await results;
      expect(calls).toHaveLength(3);
    });
  });

  describe('when the earlier burst has settled', () => {
    it('passes the next request through again', async () => {
      const inner = countingVendor(async () => issued);
      const vendor = coalescedVendor(inner.vendor);
      await vendor(vendRequest());
      await vendor(vendRequest());
      expect(inner.calls).toHaveLength(2);
    });
  });
});
