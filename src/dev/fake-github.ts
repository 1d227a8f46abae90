import { createPublicKey, randomInt, type KeyObject } from 'node:crypto';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../lib/clock.js';
import { contentsRoute, createFakeContents, setRateLimitRemaining } from './fake-github-contents.js';
import { createFaultInjector, sendFailure } from './fault-injector.js';
import { createFakeInstallations, type FakeInstallationsOptions, type FakeInstallationsView } from './fake-github-installations.js';
import { parseTokenRequest } from './fake-github-token-request.js';
import { readJsonBody, sendJson } from './send-json.js';
import { startHttpServer, type ListenOptions, type StandInHandle } from './start-http-server.js';
import { bearerToken, verifyAppJwt } from './verify-app-jwt.js';

/** Options of {@link startFakeGitHub}. */
export interface FakeGitHubOptions extends ListenOptions, FakeInstallationsOptions {
  readonly appId: string;
  /** The default installation (see fake-github-installations.ts for further ones). */
  readonly installationId: string;
  /** The App's public key (a private key PEM works too: its public half is used). */
  readonly publicKey: KeyObject | string;
  /** `/api/v3` to act as GitHub Enterprise Server; default `''` (github.com). */
  readonly pathPrefix?: string;
  /** Repositories the installation can reach; omitted = every repository. */
  readonly repositories?: readonly string[];
  readonly clock?: Clock;
  /** Lifetime of minted tokens; default 3600 s, like GitHub's. */
  readonly tokenLifetimeSecs?: number;
  /** Initial answer delay in ms (see {@link FakeGitHub.setDelayMs}). */
  readonly delayMs?: number;
}

/** Permission levels of an installation token request. */
export type PermissionLevel = 'read' | 'write';

/** One installation token the fake issued. */
export interface RecordedMint {
  /** As requested; undefined when the request named none. */
  readonly repositories: readonly string[] | undefined;
  /** As requested; undefined when the request named none. */
  readonly permissions: Readonly<Record<string, PermissionLevel>> | undefined;
  readonly token: string;
  /** ISO 8601 without milliseconds, as in the response's `expires_at`. */
  readonly expiresAt: string;
  /** The App JWT that authorized the mint. */
  readonly appJwt: string;
}

/** A running fake of GitHub's installation access token endpoint. */
export interface FakeGitHub extends StandInHandle, FakeInstallationsView {
  /** `url` + `pathPrefix`: the API base URL a client is configured with. */
  readonly apiUrl: string;
  /** Every successful mint, oldest first. */
  readonly mints: readonly RecordedMint[];
  /** Requests to the access-token route so far, whatever they were answered. */
  readonly requests: number;
  /** The headers of the latest 100 requests, oldest first (to see what a client propagates). */
  readonly requestHeaders: readonly IncomingHttpHeaders[];
  /** The next `count` requests (default 1) answer `status` with `{"message": …}` and `headers`. */
  failNext(status: number, count?: number, headers?: Readonly<Record<string, string>>): void;
  /** Delays every answer by `ms`, for timeout tests. */
  setDelayMs(ms: number): void;
  /** Requests to the contents route so far, whatever they were answered. */
  readonly contentRequests: number;
  /** Serves `text` as the file at `path` of `owner/repo`; `undefined` deletes it (404). */
  setFile(owner: string, repo: string, path: string, text: string | undefined): void;
  /** The next `count` contents requests (default 1) answer `status` with `headers`. */
  failContentsNext(status: number, count?: number, headers?: Readonly<Record<string, string>>): void;
}

const tokenRoute = /^\/app\/installations\/([^/]+)\/access_tokens$/;
const tokenAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const inaccessibleMessage =
  'There is at least one repository that does not exist or is not accessible to the parent installation.';

/**
 * Starts a fake GitHub serving `POST <prefix>/app/installations/:id/access_tokens`. It really
 * verifies the App JWT (see {@link verifyAppJwt}), then checks in GitHub's order:
 * 401 bad JWT, 404 other installation, 422 unknown repository, else 201 with a fresh
 * `ghs_` token. It also serves `GET <prefix>/repos/:owner/:repo/contents/*path` to holders
 * of an unexpired token it minted on that owner's installation: files given to `setFile`,
 * and their directories as listings; and the installation discovery routes (see
 * fake-github-installations.ts, which also holds every installation but the default).
 * Scripted failures and delays apply to the token route only (`failContentsNext` scripts
 * the contents route, `failDiscoveryNext` the discovery routes). Answers on both
 * routes carry `x-ratelimit-remaining`: 5000 less the requests so far to that route (the
 * App's budget for tokens, the installation's for contents).
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const clock = options.clock ?? systemClock;
  const publicKey = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  const prefix = options.pathPrefix ?? '';
  const installations = createFakeInstallations(options);
  const faults = createFaultInjector(options.delayMs);
  const mints: RecordedMint[] = [];
  const requestHeaders: IncomingHttpHeaders[] = [];
  let requests = 0;
  const contents = createFakeContents((token, owner, repo) => {
    const minted = mints.find((mint) => mint.token === token);
    if (minted === undefined || Date.parse(minted.expiresAt) <= clock.nowMs()) return 'unauthenticated';
    // A token reaches its own installation's account only, as GitHub's do.
    const installation = installations.byId(installations.installationOf(minted.token));
    return installation !== undefined && installations.reaches(installation, owner, repo) ? 'allowed' : 'not-found';
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    // Bounded: the stand-in also runs for days in the compose fleet.
    if (requestHeaders.push(req.headers) > 100) requestHeaders.shift();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const verified = () =>
      verifyAppJwt(bearerToken(req.headers.authorization) ?? '', { publicKey, appId: options.appId, nowMs: clock.nowMs() });
    if (path.startsWith(prefix) && (await installations.serve(req, res, path.slice(prefix.length), verified))) return;
    const file = req.method === 'GET' && path.startsWith(prefix) ? contentsRoute.exec(path.slice(prefix.length)) : null;
    if (file) return contents.serve(res, bearerToken(req.headers.authorization), file);
    const match = req.method === 'POST' && path.startsWith(prefix) ? tokenRoute.exec(path.slice(prefix.length)) : null;
    if (!match) return sendJson(res, 404, { message: 'Not Found' });
    requests += 1;
    setRateLimitRemaining(res, requests);
    await faults.delay(signal);
    const failure = faults.takeFailure();
    if (failure !== undefined) return sendFailure(res, failure);
    const appJwt = bearerToken(req.headers.authorization);
    const nowMs = clock.nowMs();
    if (appJwt === undefined || !(await verifyAppJwt(appJwt, { publicKey, appId: options.appId, nowMs }))) {
      return sendJson(res, 401, { message: 'A JSON web token could not be decoded' });
    }
    const installation = installations.byId(match[1]);
    if (installation === undefined) return sendJson(res, 404, { message: 'Not Found' });
    const body = await readJsonBody(req);
    if (!body.ok) return sendJson(res, 400, { message: 'Problems parsing JSON' });
    const request = parseTokenRequest(body.value);
    if (!request) return sendJson(res, 422, { message: 'Invalid request.' });
    if (request.repositories?.some((name) => !installations.reaches(installation, installation.account, name))) {
      return sendJson(res, 422, { message: inaccessibleMessage });
    }
    const mint: RecordedMint = {
      repositories: request.repositories,
      permissions: request.permissions,
      token: `ghs_${randomAlphanumerics(36)}`,
      expiresAt: isoSeconds(nowMs + (options.tokenLifetimeSecs ?? 3600) * 1000),
      appJwt,
    };
    mints.push(mint);
    installations.recordToken(mint.token, installation.id);
    sendJson(res, 201, {
      token: mint.token,
      expires_at: mint.expiresAt,
      permissions: mint.permissions ?? { contents: 'read', metadata: 'read' },
      repository_selection: 'selected',
      repositories: (mint.repositories ?? []).map((name) => ({ name })),
    });
  };

  const server = await startHttpServer(handle, options);
  return {
    url: server.url,
    apiUrl: `${server.url}${prefix}`,
    close: server.close,
    mints,
    requestHeaders,
    get requests() {
      return requests;
    },
    failNext: (status, count, headers) => faults.failNext(status, count, headers),
    setDelayMs: (ms) => faults.setDelayMs(ms),
    get contentRequests() {
      return contents.requests;
    },
    discoveryRequests: installations.discoveryRequests,
    installationOf: (token) => installations.installationOf(token),
    failDiscoveryNext: (status, count, headers) => installations.failDiscoveryNext(status, count, headers),
    setFile: (owner, repo, path, text) => contents.setFile(owner, repo, path, text),
    failContentsNext: (status, count, headers) => contents.failNext(status, count, headers),
  };
}


function randomAlphanumerics(length: number): string {
  return Array.from({ length }, () => tokenAlphabet[randomInt(tokenAlphabet.length)]).join('');
}

/** ISO 8601 in UTC without milliseconds, GitHub's timestamp format. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
