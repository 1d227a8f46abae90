/**
 * The claims the stand-in OIDC issuer signs into a Buildkite-like job token: the raw JWT
 * payload, snake_case as Buildkite writes it. Hand-written on purpose: this describes what
 * the stand-in *emits*; the bridge's verified claims (`BuildkiteClaims` in `src/oidc/`)
 * come from its own zod schema, which is what validates tokens.
 */
export interface IssuedClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  organization_slug: string;
  pipeline_slug: string;
  pipeline_id: string;
  build_number: number;
  build_branch: string;
  build_commit: string;
  step_key: string;
  job_id: string;
  agent_id: string;
}

/**
 * Claims to put on top of the defaults. A key given as `undefined` removes that claim, so a
 * test can mint a token that lacks it; unknown keys are added as extra claims.
 */
export type ClaimOverrides = { [K in keyof IssuedClaims]?: IssuedClaims[K] | undefined } & Record<
  string,
  unknown
>;

/** Inputs for the default claims that do not come from the job itself. */
export interface DefaultClaimsInput {
  readonly issuer: string;
  readonly audience: string;
  readonly nowSecs: number;
  readonly lifetimeSecs: number;
}

/** The Buildkite-like job the dev issuer pretends to be by default. */
export const defaultJob = {
  organization_slug: 'acme',
  pipeline_slug: 'widget',
  pipeline_id: '0190a1b2-0000-7000-8000-000000000001',
  build_number: 42,
  build_branch: 'main',
  build_commit: 'abc123',
  step_key: 'build',
  job_id: '0190a1b2-0000-7000-8000-0000000000aa',
  agent_id: '0190a1b2-0000-7000-8000-0000000000bb',
} as const satisfies Partial<IssuedClaims>;

/**
 * Builds the claims set for one token: defaults, then `overrides` (where `undefined`
 * deletes). The `sub` is derived from the *merged* job claims, so overriding
 * `pipeline_slug` alone yields a consistent subject unless `sub` is given too.
 */
export function buildClaims(input: DefaultClaimsInput, overrides: ClaimOverrides = {}): Record<string, unknown> {
  const job: Record<string, unknown> = { ...defaultJob };
  for (const key of Object.keys(defaultJob)) {
    if (key in overrides) job[key] = overrides[key];
  }
  const claims: Record<string, unknown> = {
    iss: input.issuer,
    aud: input.audience,
    sub: subjectOf(job),
    iat: input.nowSecs,
    nbf: input.nowSecs,
    exp: input.nowSecs + input.lifetimeSecs,
    ...defaultJob,
    ...overrides,
  };
  for (const [key, value] of Object.entries(claims)) {
    if (value === undefined) delete claims[key];
  }
  return claims;
}

/** Buildkite's subject format: `organization:…:pipeline:…:ref:refs/heads/…:commit:…:step:…`. */
function subjectOf(job: Record<string, unknown>): string {
  const part = (key: string): string => String(job[key] ?? '');
  return [
    `organization:${part('organization_slug')}`,
    `pipeline:${part('pipeline_slug')}`,
    `ref:refs/heads/${part('build_branch')}`,
    `commit:${part('build_commit')}`,
    `step:${part('step_key')}`,
  ].join(':');
}
