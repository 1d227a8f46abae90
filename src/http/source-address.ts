import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The caller's address as an audit record shows it. With no trusted proxy (`hops` 0), the
 * TCP peer as `address:port`. With `hops` proxies in front, each appending the address it
 * saw to `X-Forwarded-For`, the `hops`-th entry from the right: the one the outermost
 * trusted proxy wrote. Entries to its left are the client's own text and are never read.
 * When that entry is missing, or is anything but a well-formed IP address (a forged or
 * garbled header), the TCP peer stands instead: no caller-chosen text reaches the record.
 */
export function sourceAddressOf(raw: IncomingMessage, hops: number): string {
  const peer = peerOf(raw);
  if (hops === 0) return peer;
  // Repeated headers are one list, in order; Node joins them with ", " already.
  const value = raw.headers['x-forwarded-for'];
  const header = Array.isArray(value) ? value.join(',') : (value ?? '');
  const entries = header.split(',').map((entry) => entry.trim());
  const trusted = header === '' ? undefined : entries[entries.length - hops];
  return trusted !== undefined && isIP(trusted) !== 0 ? trusted : peer;
}

function peerOf(raw: IncomingMessage): string {
  const { remoteAddress, remotePort } = raw.socket;
  const address = remoteAddress ?? '';
  return remotePort === undefined ? address : `${address}:${remotePort}`;
}
