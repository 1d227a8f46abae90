import type { BuildkiteClaims } from '../../src/oidc/buildkite-claims.js';

/** Verified claims of the stand-in's default job. */
export const claims: BuildkiteClaims = {
  issuer: 'https://agent.buildkite.com',
  subject: 'organization:acme:pipeline:widget:ref:refs/heads/main:commit:abc123:step:build',
  audience: ['app-token-issuer'],
  expiresAtSecs: 1_800_000_300,
  organizationSlug: 'acme',
  pipelineSlug: 'widget',
  pipelineId: '0190a1b2-0000-7000-8000-000000000001',
  buildNumber: 42,
  buildBranch: 'main',
  buildCommit: 'abc123',
  buildTag: '',
  jobId: '0190a1b2-0000-7000-8000-0000000000aa',
  agentId: '0190a1b2-0000-7000-8000-0000000000bb',
  stepKey: 'build',
  clusterId: '',
  clusterName: '',
  queueId: '',
  queueKey: '',
  agentTags: {},
};
