import { BridgeError } from '../errors.js';

/**
 * The status of a fastify error about the request itself (a 4xx: a malformed URL, an
 * unparsable header), or `undefined` for anything else, which is ours to answer for.
 */
export function clientErrorStatus(error: unknown): number | undefined {
  if (error instanceof BridgeError || typeof error !== 'object' || error === null || !('statusCode' in error)) {
    return undefined;
  }
  const { statusCode } = error;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusCode : undefined;
}
