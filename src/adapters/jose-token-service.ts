import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../application/ports/clock.ts';
import type { TokenService } from '../application/ports/token-service.ts';
import { invalidToken } from '../domain/errors.ts';
import type { Actor } from '../domain/user.ts';

const ALGORITHM = 'HS256';
export const TOKEN_ISSUER = 'task-api';
export const TOKEN_AUDIENCE = 'task-api';
/** Bounds the tokens remembered as verified: the sessions active at once in one process. */
const MAX_REMEMBERED = 10_000;

export function joseTokenService(options: {
  secret: string;
  ttlSeconds: number;
  clock: Clock;
}): TokenService {
  // Imported once: given the raw bytes, jose would import them again for every token.
  const key = crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(options.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  // A client sends the same token with every request, and checking its signature costs more than
  // the rest of a read: a token that verified is remembered, by its exact text, until it expires.
  const verified = new Map<string, { actor: Actor; expiresAt: number }>();
  const remember = (token: string, actor: Actor, expiresAt: number) => {
    if (verified.size >= MAX_REMEMBERED) verified.delete(verified.keys().next().value as string);
    verified.set(token, { actor, expiresAt });
  };
  return {
    async issue(actor) {
      const now = options.clock.now();
      const token = await new SignJWT({ staff: actor.isStaff })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setSubject(String(actor.id))
        .setIssuedAt(now)
        .setExpirationTime(new Date(now.getTime() + options.ttlSeconds * 1000))
        .sign(await key);
      return { token, expiresIn: options.ttlSeconds };
    },
    async verify(token) {
      const now = options.clock.now();
      const known = verified.get(token);
      if (known && known.expiresAt > now.getTime()) return known.actor;
      verified.delete(token);
      try {
        const { payload } = await jwtVerify(token, await key, {
          algorithms: [ALGORITHM],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          requiredClaims: ['sub', 'exp', 'iat'],
          currentDate: now,
        });
        const id = Number(payload.sub);
        if (!Number.isSafeInteger(id) || id < 1 || typeof payload.staff !== 'boolean')
          throw invalidToken();
        const actor = { id, isStaff: payload.staff };
        // Tokens this service issues carry no `nbf`; one that does is checked in full each time.
        if (payload.nbf === undefined) remember(token, actor, (payload.exp as number) * 1000);
        return actor;
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw invalidToken('Token has expired.');
        if (error instanceof errors.JOSEError) throw invalidToken();
        throw error;
      }
    },
  };
}
