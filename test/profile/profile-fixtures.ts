import type { BuildkiteClaims } from '../../src/oidc/buildkite-claims.js';
import { defaultClaims } from '../oidc/oidc-fixtures.js';

/** Verified claims of the stand-in's default job. */
export const claims: BuildkiteClaims = defaultClaims('https://agent.buildkite.com', 1_800_000_000);
