import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../application/ports/clock.ts';
import type { TokenService } from '../application/ports/token-service.ts';
import { invalidToken } from '../domain/errors.ts';

const ALGORITHM = 'HS256';
export const TOKEN_ISSUER = 'task-api';
export const TOKEN_AUDIENCE = 'task-api';

export function joseTokenService(options: {
  secret: string;
  ttlSeconds: number;
  clock: Clock;
}): TokenService {
  const key = new TextEncoder().encode(options.secret);
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
        .sign(key);
      return { token, expiresIn: options.ttlSeconds };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          requiredClaims: ['sub', 'exp', 'iat'],
          currentDate: options.clock.now(),
        });
        const id = Number(payload.sub);
        if (!Number.isSafeInteger(id) || id < 1 || typeof payload.staff !== 'boolean')
          throw invalidToken();
        return { id, isStaff: payload.staff };
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw invalidToken('Token has expired.');
        if (error instanceof errors.JOSEError) throw invalidToken();
        throw error;
      }
    },
  };
}
