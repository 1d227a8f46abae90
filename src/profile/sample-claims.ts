import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';

/**
 * Claims for `profiles explain` from a JSON object shaped like a Buildkite OIDC token's
 * payload (`organization_slug`, `build_branch`, `agent_tag:queue`, …). Unlike a real token,
 * any claim may be missing: a missing claim reads as empty, as an absent one would to a rule.
 */
export function sampleClaims(json: unknown): BuildkiteClaims {
  const source: Record<string, unknown> = typeof json === 'object' && json !== null ? { ...json } : {};
  const text = (key: string) => {
    const value = source[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  const agentTags = Object.fromEntries(
    Object.entries(source)
      .filter(([key, value]) => key.startsWith('agent_tag:') && typeof value === 'string')
      .map(([key, value]) => [key.slice('agent_tag:'.length), String(value)]),
  );
  return {
    issuer: text('iss'),
    subject: text('sub'),
    audience: [text('aud')],
    expiresAtSecs: Number(source.exp ?? 0),
    organizationSlug: text('organization_slug'),
    pipelineSlug: text('pipeline_slug'),
    pipelineId: text('pipeline_id'),
    buildNumber: Number(source.build_number ?? 0),
    buildBranch: text('build_branch'),
    buildCommit: text('build_commit'),
    buildTag: text('build_tag'),
    jobId: text('job_id'),
    agentId: text('agent_id'),
    stepKey: text('step_key'),
    clusterId: text('cluster_id'),
    clusterName: text('cluster_name'),
    queueId: text('queue_id'),
    queueKey: text('queue_key'),
    agentTags,
  };
}
