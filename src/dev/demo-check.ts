import type { Demo } from './demo.js';
import { demoAudience, demoOrganization, demoPipeline, demoSecondOrganization } from './demo-world.js';

export interface CheckReport {
  readonly ok: boolean;
  readonly lines: string[];
}

/**
 * `token-bridge demo --check`: one `/token` and one `/git-credentials` request through
 * the listening server, as a pipeline would make them, and one `/token` for the pipeline of
 * the second GitHub organization. Passes when all three answer credentials.
 */
export async function runDemoCheck(demo: Demo, auditLines: () => string[]): Promise<CheckReport> {
  const oidc = await demo.world.issuer.signToken({}, { audience: demoAudience });
  const headers = { authorization: `Bearer ${oidc}`, 'content-type': 'text/plain' };
  const tokenResponse = await fetch(`${demo.server.url}/token`, { method: 'POST', headers, body: '' });
  const tokenBody = await tokenResponse.text();
  const gitResponse = await fetch(`${demo.server.url}/git-credentials`, {
    method: 'POST',
    headers,
    body: `protocol=https\nhost=github.com\npath=${demoOrganization}/${demoPipeline}.git\n\n`,
  });
  const gitBody = await gitResponse.text();
  const second = await fetch(`${demo.server.url}/token`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${await demo.world.issuer.signToken({ pipeline_slug: demoSecondOrganization.pipeline }, { audience: demoAudience })}` },
    body: '',
  });
  const secondBody = await second.text();

  const tokenOk = tokenResponse.status === 200 && /"token":"ghs_/.test(tokenBody);
  const gitOk = gitResponse.status === 200 && /\npassword=ghs_/.test(gitBody);
  const secondOk = second.status === 200 && /"token":"ghs_/.test(secondBody);
  const ok = tokenOk && gitOk && secondOk;
  return {
    ok,
    lines: [
      `POST /token -> ${tokenResponse.status}`,
      tokenBody,
      '',
      `POST /git-credentials -> ${gitResponse.status}`,
      gitBody,
      `POST /token for ${demoOrganization}/${demoSecondOrganization.pipeline} (GitHub organization ${demoSecondOrganization.login}) -> ${second.status}`,
      secondBody,
      '',
      'audit records:',
      ...auditLines(),
      '',
      ok ? 'demo check passed' : 'demo check FAILED',
    ],
  };
}
