import type { AttemptedPattern, ClaimMatch } from '../profile/profile.js';
import type { AuditEntry } from './audit-entry.js';

/** Writes epoch ms as ISO 8601; a writer may remember its answers. */
export type IsoTimeOf = (ms: number) => string;

/**
 * The audit record of `entry` as one JSON log line (`"level":30`, `time`, the record,
 * `"msg":"audit_event"`, a newline): the same JSON as `entry.render()` under pino's
 * envelope, written field by field rather than built as an object and serialized again.
 * Every string goes through `JSON.stringify`, so quotes, backslashes, control characters and
 * lone surrogates are escaped exactly as JSON requires; absent fields are left out, as
 * `JSON.stringify` leaves out `undefined`.
 */
export function auditLineOf(entry: AuditEntry, status: number, nowMs: number, isoTimeOf: IsoTimeOf): string {
  const { request, token, verifiedClaims: claims } = entry;
  const expiry = (ms: number) =>
    Number.isFinite(ms) ? `,"expiry":${text(isoTimeOf(ms))},"expiryRemaining":${numberText(ms - nowMs)}` : '';
  let line = `{"level":30,"time":${text(isoTimeOf(nowMs))},"type":"audit","requestId":${text(request.requestId)}`;
  line += `,"outcome":${text(entry.outcomeAt(status))}`;
  line += `,"request":{"method":${text(request.method)},"path":${text(request.path)},"status":${numberText(status)}`;
  line += `,"sourceIP":${text(request.sourceIP)},"userAgent":${text(request.userAgent)}}`;
  if (claims !== undefined) {
    line += `,"pipeline":{"organizationSlug":${text(claims.organizationSlug)},"pipelineSlug":${text(claims.pipelineSlug)}`;
    line += `,"jobID":${text(claims.jobId)},"buildNumber":${numberText(claims.buildNumber)},"buildBranch":${text(claims.buildBranch)}}`;
    line += `,"authorization":{"authorized":true,"subject":${text(claims.subject)},"issuer":${text(claims.issuer)}`;
    line += `,"audience":${texts(claims.audience)}${expiry(claims.expiresAtSecs * 1000)}}`;
  } else {
    line += ',"authorization":{"authorized":false}';
  }
  let fields = optional('requestedProfile', entry.requestedProfile, text);
  fields += optional('requestedRepository', entry.requestedRepository, text);
  fields += optional('vendedRepository', token.vendedRepository, text);
  fields += optional('installationAccount', token.installationAccount, text);
  fields += optional('hashedToken', token.hashedToken, text);
  fields += optional('repositories', token.repositories, texts);
  fields += optional('permissions', token.permissions, texts);
  fields += optional('matches', entry.matches, matchesText);
  fields += optional('attemptedPatterns', entry.attemptedPatterns, attemptedText);
  if (token.expiresAtMs !== undefined) fields += expiry(token.expiresAtMs);
  line += `,"token":{${fields.slice(1)}}`;
  if (entry.firstError !== undefined) line += `,"error":${text(entry.firstError)}`;
  return `${line},"msg":"audit_event"}\n`;
}

/** `,"name":value`, or nothing for an absent value. */
function optional<T>(name: string, value: T | undefined, write: (value: T) => string): string {
  return value === undefined ? '' : `,"${name}":${write(value)}`;
}

/**
 * What JSON must escape in a string: quotes, backslashes, control characters (Cc, a few
 * more than JSON needs) and lone surrogates (Cs: a pair is one code point under `u`).
 */
const needsEscaping = /[\p{Cc}"\\\p{Cs}]/u;

/** A string as JSON; most need no escaping, and skip `JSON.stringify`. */
const text = (value: string): string => (needsEscaping.test(value) ? JSON.stringify(value) : `"${value}"`);

/** A number as JSON writes it: `null` for NaN and the infinities. */
const numberText = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');

const texts = (values: readonly string[]): string => `[${values.map(text).join(',')}]`;

const matchesText = (matches: readonly ClaimMatch[]): string =>
  `[${matches.map((match) => `{"claim":${text(match.claim)},"value":${text(match.value)}}`).join(',')}]`;

const attemptedText = (attempted: readonly AttemptedPattern[]): string =>
  `[${attempted.map((a) => `{"claim":${text(a.claim)},"pattern":${text(a.pattern)},"value":${text(a.value)}}`).join(',')}]`;
