import { createHmac } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/adapters/jose-token-service.ts';
import { type Harness, type SignedUp, TEST_SECRET } from '../harness.ts';

/** The four parties of every authorization rule: who made a task, who does it, who may not. */
export interface Parties {
  creator: SignedUp;
  assignee: SignedUp;
  stranger: SignedUp;
  staff: SignedUp;
}

export async function parties(h: Harness): Promise<Parties> {
  return {
    creator: await h.signUp(),
    assignee: await h.signUp(),
    stranger: await h.signUp(),
    staff: await h.signUp({ staff: true }),
  };
}

export interface ForgeOptions {
  secret?: string;
  alg?: string;
  header?: Record<string, unknown>;
  /** Claims that replace the service's own; `undefined` leaves a claim out. */
  claims?: Record<string, unknown>;
  /** Seconds relative to the harness clock. */
  issuedAt?: number;
  expiresIn?: number;
}

/**
 * A JWT built as the service builds its access tokens (HS256, its issuer and audience, `sub`,
 * `staff`, `iat`, `exp`), then changed as the options say: how an attacker would try.
 */
export async function forge(h: Harness, subject: number, options: ForgeOptions = {}) {
  const now = Math.floor(h.clock.now().getTime() / 1000);
  const claims: Record<string, unknown> = {
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    sub: String(subject),
    staff: false,
    iat: now + (options.issuedAt ?? 0),
    exp: now + (options.expiresIn ?? 900),
    ...options.claims,
  };
  const defined = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return new SignJWT(defined)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT', ...options.header })
    .sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}

/**
 * The token's claims under another protected header, signed with HS256 by hand: jose refuses to
 * sign headers it would refuse to verify, which are exactly the ones worth trying.
 */
export function resign(token: string, header: Record<string, unknown>, secret = TEST_SECRET) {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT', ...header })}.${encode(decodeJwt(token))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The same token with one bit of its signature changed (not a padding bit). */
export function flipSignatureBit(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** A path with a task id, for each route that takes one. */
export const taskPath = (id: number | string) => `/api/tasks/${id}/`;
