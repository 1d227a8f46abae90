import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createFaultInjector, sendFailure } from './fault-injector.js';
import { sendJson } from './send-json.js';

/** GitHub's contents route below the API prefix: `/repos/:owner/:repo/contents/*path`. */
export const contentsRoute = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/;

/** The hourly budget the `x-ratelimit-remaining` header counts down from. */
const rateLimit = 5000;

/** Sets `x-ratelimit-remaining` as GitHub does: the budget less the requests so far. */
export function setRateLimitRemaining(res: ServerResponse, requests: number): void {
  res.setHeader('x-ratelimit-remaining', String(Math.max(0, rateLimit - requests)));
}

/** The files the GitHub stand-in serves on its contents route. */
export interface FakeContents {
  /** Requests to the contents route so far, whatever they were answered. */
  readonly requests: number;
  /** Answers one contents request; `match` is {@link contentsRoute}'s match of its path. */
  serve(res: ServerResponse, token: string | undefined, match: RegExpExecArray): void;
  /** Serves `text` as the file at `path` of `owner/repo`; `undefined` deletes it (404). */
  setFile(owner: string, repo: string, path: string, text: string | undefined): void;
  /** The next `count` contents requests (default 1) answer `status` with `headers`. */
  failNext(status: number, count?: number, headers?: Readonly<Record<string, string>>): void;
}

/** What a caller's token may do with `owner/repo`: read it, nothing (401), or not see it (404). */
export type ContentsAccess = 'allowed' | 'unauthenticated' | 'not-found';

/**
 * The contents route of the GitHub stand-in: GitHub's answer is 401 or 404 as `accessOf`
 * decides for the caller's token, then a file, a directory listing (every file below it)
 * or 404.
 */
export function createFakeContents(
  accessOf: (token: string | undefined, owner: string, repo: string) => ContentsAccess,
): FakeContents {
  const files = new Map<string, string>();
  const faults = createFaultInjector();
  let requests = 0;
  return {
    get requests() {
      return requests;
    },
    serve: (res, token, match) => {
      requests += 1;
      setRateLimitRemaining(res, requests);
      const failure = faults.takeFailure();
      if (failure !== undefined) return sendFailure(res, failure);
      const repository = `${decodePath(match[1])}/${decodePath(match[2])}/`;
      const path = decodePath(match[3]);
      const access = accessOf(token, decodePath(match[1]), decodePath(match[2]));
      if (access === 'unauthenticated') return sendJson(res, 401, { message: 'Bad credentials' });
      if (access === 'not-found') return sendJson(res, 404, { message: 'Not Found' });
      const text = files.get(repository + path);
      if (text !== undefined) return sendJson(res, 200, fileEntry(path, text, true));
      const below = [...files].filter(([key]) => key.startsWith(`${repository}${path}/`));
      if (below.length === 0) return sendJson(res, 404, { message: 'Not Found' });
      sendJson(res, 200, below.map(([key, body]) => fileEntry(key.slice(repository.length), body, false)));
    },
    failNext: (status, count, headers) => faults.failNext(status, count, headers),
    setFile: (owner, repo, path, text) => {
      if (text === undefined) files.delete(`${owner}/${repo}/${path}`);
      else files.set(`${owner}/${repo}/${path}`, text);
    },
  };
}

/** A contents entry as GitHub sends it; `content` (base64, a newline every 60) only for a file. */
function fileEntry(path: string, text: string, withContent: boolean): Record<string, unknown> {
  const bytes = Buffer.from(text, 'utf8');
  const sha = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  const entry = { type: 'file', name: path.split('/').at(-1), path, sha, size: bytes.length };
  if (!withContent) return entry;
  return { ...entry, encoding: 'base64', content: bytes.toString('base64').replace(/.{1,60}/g, '$&\n') };
}

/** A path from the URL, percent-decoding each segment; `/` stays a separator. */
function decodePath(encoded: string | undefined): string {
  return (encoded ?? '').split('/').map(decodeURIComponent).join('/');
}
