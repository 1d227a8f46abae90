import type { RedisOptions } from 'iovalkey';
import { ValkeyAddressInvalidError } from '../errors.js';
import type { ValkeyClientOptions } from './valkey-client.js';
import { valkeyCommandTimeoutMs } from './valkey-command.js';

const connectTimeoutMs = 1_000;

/** The iovalkey options that make Valkey fail fast instead of queueing or retrying. */
export function valkeyClientOptions(options: ValkeyClientOptions): RedisOptions {
  const { host, port } = parseValkeyAddress(options.address);
  return {
    host,
    port,
    ...(options.username !== undefined && { username: options.username }),
    ...(options.password !== undefined && { password: options.password }),
    ...(options.tls && { tls: { minVersion: 'TLSv1.2' as const } }),
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    // runValkeyCommand keeps the same deadline with its own timer; this one releases the
    // command it abandons, and bounds a command sent on the client directly.
    commandTimeout: valkeyCommandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    retryStrategy: () => null,
    // After an ElastiCache failover the old primary answers READONLY: drop that connection
    // so the reconnect loop finds the new primary instead of failing every write.
    reconnectOnError: (error) => replyErrorCode(error) === 'READONLY',
  };
}

/** Splits `host:port` (or `[ipv6]:port`); throws {@link ValkeyAddressInvalidError}. */
export function parseValkeyAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ValkeyAddressInvalidError(address);
  }
  return { host, port };
}

/**
 * The code of a server error reply: RESP defines the first word of an error reply as its
 * code (`READONLY`, `WRONGTYPE`, …). iovalkey passes such a reply on as an error whose
 * message is the reply text and which has no code field, so the code is read from there.
 */
function replyErrorCode(error: Error): string {
  return error.message.split(' ', 1)[0] ?? '';
}
