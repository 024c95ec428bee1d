import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client's address: the socket's, unless `trustedHops` proxies in front of the service each
 * append to X-Forwarded-For; then it is the address the outermost trusted proxy saw. Entries a
 * client wrote itself sit further left and are never read.
 */
export function clientIp(c: Context, trustedHops: number): string {
  const socket = socketAddress(c);
  if (trustedHops === 0) return socket;
  const forwarded = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  const chain = [...forwarded, socket];
  return chain[Math.max(chain.length - 1 - trustedHops, 0)] ?? socket;
}

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests and other runtimes have no Node socket.
    return 'unknown';
  }
}
