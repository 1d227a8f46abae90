import { filePath, httpUrl, inGroup, optionalText, requiredText, secretText } from './env-fields.js';

/**
 * The Buildkite OIDC and Buildkite API sections: which organization may call, how its OIDC tokens
 * are checked, and the REST API that pipeline routes look repositories up with.
 */
export const buildkiteEnv = {
  ...inGroup('Buildkite OIDC', {
    JWT_BUILDKITE_ORGANIZATION_SLUG: requiredText(
      'Buildkite organization whose agents may call: the OIDC token\'s `organization_slug` must equal it. One organization per instance.',
    ),
    JWT_AUDIENCE: optionalText(
      'Audience the OIDC token must carry in `aud`. Set the plugins\' `audience` to the same value: Chinmina recommends `chinmina:<github-org>`, and the plugins default to `chinmina:default`, which matches neither.',
      'app-token-issuer',
    ),
    JWT_ISSUER_URL: optionalText(
      'Issuer of the OIDC tokens: `iss` must equal it exactly, and its discovery document names the signing keys. Keys are refetched hourly, and at most once a minute for an unknown `kid`; the last good keys stay in use while the issuer is down. Change it only for testing.',
      'https://agent.buildkite.com',
    ),
    JWT_JWKS_STATIC: secretText(
      'A fixed JWKS (or single JWK) of RSA public keys, used instead of discovery; for development and tests. The issuer is still checked.',
    ),
    JWT_JWKS_STATIC_FILE: secretText('Path of a file holding `JWT_JWKS_STATIC`.').meta(filePath),
  }),

  ...inGroup('Buildkite API', {
    BUILDKITE_API_TOKEN: secretText(
      'Buildkite REST API token with the `read_pipelines` scope and nothing else (best a bot user\'s): pipeline routes look up the pipeline\'s repository with it when the token is not cached.',
    ).meta({ required: 'yes' }),
    BUILDKITE_API_URL: httpUrl('Buildkite REST API base URL (for tests and egress proxies).', 'https://api.buildkite.com'),
  }),
};
