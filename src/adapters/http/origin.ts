import type { Context, MiddlewareHandler } from 'hono';
import { DomainError } from '../../domain/errors.ts';
import type { AppEnv } from './env.ts';

/**
 * What the outermost trusted proxy wrote in a forwarded header. Each proxy in front appends its
 * own value, so that one is the `hops`-th from the right; anything further left came from the
 * client and is never read. No trusted proxy: nothing is read at all.
 */
function forwarded(c: Context, header: string, hops: number): string | undefined {
  if (hops === 0) return undefined;
  const values = (c.req.header(header) ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  return values[Math.max(values.length - hops, 0)];
}

/** The host the client asked for, as the trusted proxies forwarded it, or its `Host`. */
function requestedHost(c: Context, hops: number): string {
  return forwarded(c, 'X-Forwarded-Host', hops) ?? c.req.header('Host') ?? new URL(c.req.url).host;
}

/** `host` (with an optional port) as a URL would have it; null when it is no host at all. */
function parseHost(host: string): URL | null {
  try {
    const url = new URL(`http://${host}`);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username;
    return bare && !url.password ? url : null;
  } catch {
    return null;
  }
}

export interface OriginOptions {
  /** Scheme and host of every absolute link, whatever the request says (PUBLIC_URL). */
  publicUrl?: string;
  /** How many proxies in front of the service append to the X-Forwarded-* headers. */
  trustProxyHops: number;
}

/**
 * The scheme and host absolute links start with: PUBLIC_URL, or else what the client asked for,
 * the scheme and host forwarded by trusted proxies counting over the socket's.
 */
export function requestOrigin({ publicUrl, trustProxyHops }: OriginOptions) {
  return (c: Context): string => {
    if (publicUrl) return publicUrl;
    const proto = forwarded(c, 'X-Forwarded-Proto', trustProxyHops)?.toLowerCase();
    const scheme = proto === 'https' || proto === 'http' ? proto : new URL(c.req.url).protocol;
    const host = parseHost(requestedHost(c, trustProxyHops))?.host ?? new URL(c.req.url).host;
    return `${scheme.replace(/:$/, '')}://${host}`;
  };
}

const disallowedHost = () =>
  new DomainError(
    'validation',
    'disallowed_host',
    'The Host header names a host this service does not answer for (ALLOWED_HOSTS).',
  );

/** Django's host patterns: `*` is any host, `.example` is example and its subdomains. */
function allowed(hostname: string, patterns: string[]): boolean {
  const name = hostname.replace(/\.$/, '');
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      pattern === name ||
      (pattern.startsWith('.') && (name.endsWith(pattern) || name === pattern.slice(1))),
  );
}

/**
 * Refuses, with 400, a request for a host not in `hosts` (ALLOWED_HOSTS), as Django does: no
 * link or redirect is ever built from a host an attacker chose. `exempt` paths (the probes, which
 * orchestrators call by address) are answered whatever their host.
 */
export function allowedHosts(
  hosts: string[],
  trustProxyHops: number,
  exempt: (c: Context) => boolean,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!exempt(c)) {
      const host = parseHost(requestedHost(c, trustProxyHops));
      if (!host || !allowed(host.hostname, hosts)) throw disallowedHost();
    }
    await next();
  };
}
