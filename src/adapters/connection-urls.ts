/*
 * DATABASE_URL and REDIS_URL carry credentials, and the drivers' messages may quote them
 * (`password authentication failed for user "…"`). What the service prints of a connection goes
 * through here: where it points, and the driver's reason with the credentials taken out.
 */

function parsed(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Where a URL points, without its credentials: `host:port/database`. */
export function describeServer(url: string, defaultPort = 5432): string {
  const target = parsed(url);
  // `postgres:user:password@host` parses with no host and all of it as the path.
  if (!target?.hostname) return 'an address with no host name';
  return `${target.hostname}:${target.port || defaultPort}${target.pathname.replace(/^\/$/, '')}`;
}

/** `text` with every credential of `url` (user name, password, as given or in its query) masked. */
export function withoutCredentials(text: string, url: string): string {
  const target = parsed(url);
  if (!target) return text;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const credentials = [
    target.password,
    target.username,
    target.searchParams.get('password') ?? '',
    target.searchParams.get('user') ?? '',
  ].flatMap((part) => [part, decode(part)]);
  let masked = text;
  for (const credential of credentials.filter(Boolean).sort((a, b) => b.length - a.length))
    masked = masked.split(credential).join('***');
  return masked;
}
