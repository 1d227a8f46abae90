import type { CacheErrorCode } from './cache-errors.js';
import type { ConfigErrorCode } from './config-errors.js';
import type { EncryptionErrorCode } from './encryption-errors.js';
import type { ErrorCode } from './error-table.js';

/**
 * The codes of errors that never reach a caller as a status: a configuration problem stops
 * start-up, a cache failure makes the request go without the cache, an encryption failure
 * fails a keyset load or counts a stored value as a miss.
 */
export type NonRequestErrorCode = ConfigErrorCode | CacheErrorCode | EncryptionErrorCode;

/**
 * Base of every token-bridge error: a literal `code` to branch on (never the `message`),
 * structured fields in the subclasses, and the `cause` when there is one. Request errors
 * ({@link ErrorCode}) extend it as `BridgeError`, which `errorTable` maps to a status; the
 * others carry a {@link NonRequestErrorCode} and have no status at all.
 */
export abstract class CodedError extends Error {
  abstract readonly code: ErrorCode | NonRequestErrorCode;
}
