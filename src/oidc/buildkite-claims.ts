import { z } from 'zod';

const requiredString = z.string().min(1);
/**
 * A slug goes into Buildkite API paths: `.` and `..` would be resolved as path segments
 * (`/pipelines/..` names the organization's pipeline list), and `/` is no slug's character.
 */
const slug = requiredString.refine((value) => value !== '.' && value !== '..' && !value.includes('/'));
const optionalString = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

/**
 * The Buildkite OIDC claims token-bridge reads. Required: the registered claims and the
 * pipeline identity (`pipeline_id` is optional at Buildkite, so clients must ask for it;
 * slugs are never `.`, `..` or hold `/`);
 * `build_number` is read as Chinmina does (absent counts as 0). Unknown claims are ignored,
 * `agent_tag:NAME` claims are collected.
 */
const claimsSchema = z
  .looseObject({
    iss: requiredString,
    sub: requiredString,
    aud: z.union([requiredString, z.array(z.string()).min(1)]),
    exp: z.number(),
    nbf: z.number(),
    organization_slug: slug,
    pipeline_slug: slug,
    pipeline_id: requiredString,
    build_number: z.number().int().nullish(),
    build_branch: requiredString,
    build_commit: requiredString,
    job_id: requiredString,
    agent_id: requiredString,
    build_tag: optionalString,
    step_key: optionalString,
    cluster_id: optionalString,
    cluster_name: optionalString,
    queue_id: optionalString,
    queue_key: optionalString,
  })
  .transform((claims) => ({
    issuer: claims.iss,
    subject: claims.sub,
    audience: typeof claims.aud === 'string' ? [claims.aud] : claims.aud,
    expiresAtSecs: claims.exp,
    organizationSlug: claims.organization_slug,
    pipelineSlug: claims.pipeline_slug,
    pipelineId: claims.pipeline_id,
    buildNumber: claims.build_number ?? 0,
    buildBranch: claims.build_branch,
    buildCommit: claims.build_commit,
    buildTag: claims.build_tag,
    jobId: claims.job_id,
    agentId: claims.agent_id,
    stepKey: claims.step_key,
    clusterId: claims.cluster_id,
    clusterName: claims.cluster_name,
    queueId: claims.queue_id,
    queueKey: claims.queue_key,
    agentTags: agentTagsOf(claims),
  }));

/** Verified Buildkite claims, in token-bridge's names. */
export type BuildkiteClaims = z.output<typeof claimsSchema>;

export type ClaimsResult = { ok: true; claims: BuildkiteClaims } | { ok: false; reason: string };

/** Reads a verified JWT payload as Buildkite claims; the reason names the offending claims. */
export function parseBuildkiteClaims(payload: unknown): ClaimsResult {
  const parsed = claimsSchema.safeParse(payload);
  if (parsed.success) return { ok: true, claims: parsed.data };
  const names = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'payload'))];
  return { ok: false, reason: `missing or invalid claim(s): ${names.join(', ')}` };
}

function agentTagsOf(claims: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    if (key.startsWith('agent_tag:') && typeof value === 'string') tags[key.slice('agent_tag:'.length)] = value;
  }
  return tags;
}
