/**
 * The one error hierarchy of token-bridge, one module per family under `errors/`: every
 * error is a {@link CodedError} with a literal `code`. Request errors are `BridgeError`s,
 * whose status and public message `errorTable` alone decides; the others (configuration,
 * cache, encryption) never reach a caller as a status.
 */

export * from './errors/coded-error.js';
export * from './errors/error-table.js';
export * from './errors/request-errors.js';
export * from './errors/upstream-errors.js';
export * from './errors/config-errors.js';
export * from './errors/cache-errors.js';
export * from './errors/encryption-errors.js';
