import { type IncomingMessage, type ServerResponse } from 'node:http';
import { createFaultInjector, sendFailure } from './fault-injector.js';
import { sendJson } from './send-json.js';

/** One installation of the App the GitHub stand-in knows, on one account. */
export interface FakeInstallationOptions {
  readonly id: string;
  /** The account's login, as GitHub spells it. */
  readonly account: string;
  /** `Organization` (the default) is found by `/orgs/{login}/installation`, `User` by `/users/…`. */
  readonly accountType?: 'Organization' | 'User';
  /** Repositories of the account the installation reaches; omitted = every one. */
  readonly repositories?: readonly string[];
}

/** The installation options of the GitHub stand-in; `installationId` is the default installation's. */
export interface FakeInstallationsOptions {
  readonly installationId: string;
  /** The default installation's account; default `acme`. */
  readonly account?: string;
  /** Repositories the default installation reaches; omitted = every one. */
  readonly repositories?: readonly string[];
  /** Installations on further accounts, each with its own id and repositories. */
  readonly installations?: readonly FakeInstallationOptions[];
}

/** The discovery routes, as request counters name them. */
export type DiscoveryRoute = 'app-installation' | 'org-installation' | 'user-installation';

/** What the stand-in's handle exposes about installations. */
export interface FakeInstallationsView {
  /** Requests to each discovery route so far, whatever they were answered. */
  readonly discoveryRequests: Readonly<Record<DiscoveryRoute, number>>;
  /** The id of the installation that minted `token`; `undefined` for a token it did not mint. */
  installationOf(token: string): string | undefined;
  /** The next `count` discovery requests (default 1) answer `status`. */
  failDiscoveryNext(status: number, count?: number, headers?: Readonly<Record<string, string>>): void;
}

/** The installations, their discovery routes and which token belongs to which. */
export interface FakeInstallations extends FakeInstallationsView {
  /** The installation with this id, if there is one. */
  byId(id: string | undefined): FakeInstallationOptions | undefined;
  /** Whether `installation` reaches `owner/name` (logins compare case-insensitively). */
  reaches(installation: FakeInstallationOptions, owner: string, name: string): boolean;
  /** Remembers which installation minted `token`. */
  recordToken(token: string, installationId: string): void;
  /**
   * Answers `path` (without the API prefix) when it is a discovery route and returns true;
   * returns false for any other path. `authorized` checks the request's App JWT.
   */
  serve(req: IncomingMessage, res: ServerResponse, path: string, authorized: () => Promise<boolean>): Promise<boolean>;
}

/** The hourly budget the discovery routes' `x-ratelimit-remaining` counts down from. */
const rateLimit = 5000;
const routes: readonly [DiscoveryRoute, RegExp][] = [
  ['app-installation', /^\/app\/installations\/([^/]+)$/],
  ['org-installation', /^\/orgs\/([^/]+)\/installation$/],
  ['user-installation', /^\/users\/([^/]+)\/installation$/],
];

/**
 * The GitHub stand-in's installations: the default one (`installationId`, on `account`)
 * and any further ones. Serves GitHub's discovery routes for an App JWT holder:
 * `GET /app/installations/{id}`, `GET /orgs/{login}/installation` (organizations only) and
 * `GET /users/{login}/installation` (users only), logins matched case-insensitively, 404
 * for anything else. Discovery answers carry `x-ratelimit-remaining`: 5000 less the
 * discovery requests so far.
 */
export function createFakeInstallations(options: FakeInstallationsOptions): FakeInstallations {
  const defaultInstallation: FakeInstallationOptions = {
    id: options.installationId,
    account: options.account ?? 'acme',
    ...(options.repositories && { repositories: options.repositories }),
  };
  const all = [defaultInstallation, ...(options.installations ?? [])];
  const tokens = new Map<string, string>();
  const faults = createFaultInjector();
  const discoveryRequests: Record<DiscoveryRoute, number> = { 'app-installation': 0, 'org-installation': 0, 'user-installation': 0 };
  const find = findersOver(all);

  return {
    discoveryRequests,
    byId: (id) => all.find((installation) => installation.id === id),
    reaches: (installation, owner, name) =>
      sameLogin(installation.account, owner) && (installation.repositories?.includes(name) ?? true),
    recordToken: (token, installationId) => tokens.set(token, installationId),
    installationOf: (token) => tokens.get(token),
    failDiscoveryNext: (status, count, headers) => faults.failNext(status, count, headers),
    async serve(req, res, path, authorized) {
      const route = req.method === 'GET' ? routes.find(([, pattern]) => pattern.test(path)) : undefined;
      if (route === undefined) return false;
      const [name, pattern] = route;
      discoveryRequests[name] += 1;
      res.setHeader('x-ratelimit-remaining', String(Math.max(0, rateLimit - totalOf(discoveryRequests))));
      const failure = faults.takeFailure();
      if (failure !== undefined) sendFailure(res, failure);
      else if (!(await authorized())) sendJson(res, 401, { message: 'A JSON web token could not be decoded' });
      else {
        const found = find[name](decodedSegment(pattern.exec(path)?.[1]));
        if (found === undefined) sendJson(res, 404, { message: 'Not Found' });
        else sendJson(res, 200, installationJson(found));
      }
      return true;
    },
  };
}

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** How each discovery route finds its installation: by id, or by an organization's or a user's login. */
function findersOver(all: readonly FakeInstallationOptions[]): Record<DiscoveryRoute, (key: string) => FakeInstallationOptions | undefined> {
  return {
    'app-installation': (id) => all.find((installation) => installation.id === id),
    'org-installation': (login) => all.find((i) => (i.accountType ?? 'Organization') === 'Organization' && sameLogin(i.account, login)),
    'user-installation': (login) => all.find((i) => i.accountType === 'User' && sameLogin(i.account, login)),
  };
}

/** A percent-decoded path segment; malformed encoding reads as a name nothing has. */
function decodedSegment(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return '';
  }
}

function totalOf(counts: Readonly<Record<DiscoveryRoute, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** An installation as GitHub's REST API describes it (the fields a client reads). */
function installationJson(installation: FakeInstallationOptions): Record<string, unknown> {
  const type = installation.accountType ?? 'Organization';
  return {
    id: Number(installation.id),
    account: { login: installation.account, type },
    target_type: type,
    repository_selection: installation.repositories === undefined ? 'all' : 'selected',
  };
}
