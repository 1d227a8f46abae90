import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { createFaultInjector, sendFailure } from './fault-injector.js';
import { sendJson } from './send-json.js';
import { startHttpServer, type ListenOptions, type StandInHandle } from './start-http-server.js';

/** Options of {@link startFakeBuildkite}. */
export interface FakeBuildkiteOptions extends ListenOptions {
  /** The only bearer token the fake accepts. */
  readonly apiToken: string;
  /** Known pipelines keyed `org/slug`; `repository: ''` is a pipeline without a repository. */
  readonly pipelines?: Readonly<Record<string, { readonly repository: string }>>;
  /** Initial answer delay in ms (see {@link FakeBuildkite.setDelayMs}). */
  readonly delayMs?: number;
}

/** A running fake of the Buildkite REST API's pipeline lookup. */
export interface FakeBuildkite extends StandInHandle {
  /** Requests to the pipeline route so far, whatever they were answered. */
  readonly requests: number;
  /** Adds or replaces a pipeline; `repository: ''` means it has none. */
  setPipeline(org: string, slug: string, repository: string): void;
  /** The next `count` lookups (default 1) answer `status` with `{"message": …}` and `headers`. */
  failNext(status: number, count?: number, headers?: Readonly<Record<string, string>>): void;
  /** Delays every answer by `ms`, for timeout tests. */
  setDelayMs(ms: number): void;
}

interface Pipeline {
  readonly id: string;
  readonly repository: string;
}

const pipelineRoute = /^\/v2\/organizations\/([^/]+)\/pipelines\/([^/]+)$/;

/**
 * Starts a fake Buildkite API serving `GET /v2/organizations/:org/pipelines/:slug`, which is
 * all the bridge asks Buildkite: the repository URL of the caller's pipeline. The order of
 * checks follows the real API: authentication first, then existence.
 */
export async function startFakeBuildkite(options: FakeBuildkiteOptions): Promise<FakeBuildkite> {
  const pipelines = new Map<string, Pipeline>();
  const faults = createFaultInjector(options.delayMs);
  const state = { requests: 0 };
  const setPipeline = (org: string, slug: string, repository: string): void => {
    pipelines.set(`${org}/${slug}`, { id: pipelines.get(`${org}/${slug}`)?.id ?? randomUUID(), repository });
  };
  for (const [key, { repository }] of Object.entries(options.pipelines ?? {})) {
    const [org = '', slug = ''] = key.split('/', 2);
    setPipeline(org, slug, repository);
  }

  const handle = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = req.method === 'GET' ? pipelineRoute.exec(path) : null;
    if (!match) return sendJson(res, 404, { message: 'Not Found' });
    state.requests += 1;
    await faults.delay(signal);
    const failure = faults.takeFailure();
    if (failure !== undefined) return sendFailure(res, failure);
    if (req.headers.authorization !== `Bearer ${options.apiToken}`) {
      return sendJson(res, 401, { message: 'Authentication required' });
    }
    const org = decodeURIComponent(match[1] ?? '');
    const slug = decodeURIComponent(match[2] ?? '');
    const pipeline = pipelines.get(`${org}/${slug}`);
    if (!pipeline) return sendJson(res, 404, { message: 'No pipeline found' });
    sendJson(res, 200, { id: pipeline.id, slug, name: slug, repository: pipeline.repository });
  };

  const server = await startHttpServer(handle, options);
  return {
    url: server.url,
    close: server.close,
    get requests() {
      return state.requests;
    },
    setPipeline,
    failNext: (status, count, headers) => faults.failNext(status, count, headers),
    setDelayMs: (ms) => faults.setDelayMs(ms),
  };
}
