import { filePath, httpUrl, inGroup, integer, optionalText, requiredId, secretText } from './env-fields.js';

/**
 * The GitHub App and Profiles sections: the App that mints tokens, its key, and where the
 * profiles come from.
 */
export const githubEnv = {
  ...inGroup('GitHub App', {
    GITHUB_API_URL: httpUrl(
      'GitHub REST API base URL. For GitHub Enterprise Server `https://HOST/api/v3`, which also makes HOST the git host.',
      'https://api.github.com',
    ),
    GITHUB_GIT_HOST: optionalText(
      'Host (and non-default port) whose HTTPS repositories are vended: pipeline repository URLs and git credential requests must name it. Set it only when the git host differs from the API host.',
    ).meta({ defaultText: '`github.com` for `api.github.com`, else the host of `GITHUB_API_URL`' }),
    GITHUB_APP_ID: requiredId('The GitHub App\'s ID (its settings page, "App ID"): the issuer of the App JWTs.'),
    GITHUB_APP_INSTALLATION_ID: requiredId(
      'ID of the *default installation*: the App\'s installation on the organization whose repositories the bridge serves (the last segment of the installation\'s settings URL). Its account is learned from GitHub at start-up; the instance is not ready until it is. Organization profiles without `owner` are for that account.',
    ),
    GITHUB_ORGANIZATIONS: optionalText(
      'Further GitHub accounts (organizations or users) served, comma-separated: `login` (its installation is found with `GET /orgs/{login}/installation`, or `/users/{login}/installation`, when first needed, and remembered for an hour, a miss for 5 minutes) or `login=installationId` (never looked up). A repository whose owner is neither these nor the default installation\'s account is refused.',
    ).meta({ defaultText: 'none: only the default installation\'s account' }),
    GITHUB_APP_PRIVATE_KEY: secretText(
      'The App\'s private key as PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`). Prefer the `_FILE` form or a KMS key.',
    ).meta({ required: 'one of this, `GITHUB_APP_PRIVATE_KEY_FILE` or `GITHUB_APP_PRIVATE_KEY_ARN`' }),
    GITHUB_APP_PRIVATE_KEY_FILE: secretText('Path of a file holding `GITHUB_APP_PRIVATE_KEY` (a mounted secret).').meta(filePath),
    GITHUB_APP_PRIVATE_KEY_ARN: optionalText(
      'ARN of the AWS KMS key, or better of its alias, that holds the App key (RSA_2048, `SIGN_VERIFY`): App JWTs are signed with `kms:Sign` and the key never leaves KMS. The region is taken from the ARN. Wins over a PEM key, with a warning.',
    ),
  }),

  ...inGroup('Profiles', {
    GITHUB_ORG_PROFILE: optionalText(
      'Profile file in a GitHub repository as `owner:repo:path` (split at the first two colons), read from the default branch with an installation token, so the App must be installed on that repository with `contents:read`. Not with `PROFILE_FILE`; with neither, only the built-in `default` pipeline profile (`contents:read`) exists.',
    ),
    PROFILE_FILE: optionalText('Profile file on local disk (a mounted volume), instead of `GITHUB_ORG_PROFILE`.'),
    PROFILE_REFRESH_INTERVAL_SECS: integer(
      'Seconds between reloads of the profile file. A reload that fails keeps the last good profiles; until the first load succeeds (retried every 5 s) the instance is not ready.',
      300,
      { min: 1, max: 86_400 },
    ),
  }),
};
