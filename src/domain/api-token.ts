import { Entity } from './entity.ts';
import { type FieldErrors, throwIfInvalid } from './errors.ts';
import { codePointLength } from './text.ts';

/** What a personal API token may do: `read` (safe requests) and `write` (changes). */
export const SCOPES = ['read', 'write'] as const;
export type Scope = (typeof SCOPES)[number];

export const API_TOKEN_NAME_MAX = 100;
/** Every secret starts so, which tells it from a JWT and lets secret scanners find a leaked one. */
export const API_TOKEN_PREFIX = 'tsk_';

export interface ApiTokenProps {
  id: number;
  userId: number;
  name: string;
  /** Never empty; holds `read` whenever it holds `write`. */
  scopes: readonly Scope[];
  /** The keyed digest of the secret: the secret itself is never stored. */
  digest: string;
  createdAt: Date;
  /** null: the token never expires. */
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type ApiTokenDraft = Omit<ApiTokenProps, 'id' | 'lastUsedAt' | 'revokedAt'>;

export interface ApiTokenRequest {
  name: string;
  scopes: readonly string[];
  expiresAt?: Date | null;
}

/** `write` implies `read`, so a token's scopes are stated in full, in one order. */
function normalizeScopes(requested: readonly string[]): { scopes: Scope[]; errors: string[] } {
  const unknown = requested.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0)
    return { scopes: [], errors: unknown.map((scope) => `"${scope}" is not a valid choice.`) };
  if (requested.length === 0) return { scopes: [], errors: ['This list may not be empty.'] };
  return { scopes: requested.includes('write') ? ['read', 'write'] : ['read'], errors: [] };
}

function nameErrors(name: string): string[] {
  if (name.length === 0) return ['This field may not be blank.'];
  if (codePointLength(name) > API_TOKEN_NAME_MAX)
    return [`Ensure this field has no more than ${API_TOKEN_NAME_MAX} characters.`];
  if (name.includes('\u0000')) return ['Null characters are not allowed.'];
  return [];
}

/** A new token of `userId`, checked: a name, known scopes, and an expiry in the future if any. */
export function draftApiToken(
  request: ApiTokenRequest,
  owner: { userId: number; digest: string },
  now: Date,
): ApiTokenDraft {
  const name = request.name.trim();
  const { scopes, errors: scopeErrors } = normalizeScopes(request.scopes);
  const expiresAt = request.expiresAt ?? null;
  const fields: FieldErrors = {
    name: nameErrors(name),
    scopes: scopeErrors,
    expires_at: expiresAt && expiresAt <= now ? ['Ensure this date is in the future.'] : [],
  };
  throwIfInvalid(fields);
  return { ...owner, name, scopes, createdAt: now, expiresAt };
}

export class ApiToken extends Entity<ApiTokenProps>() {
  /** Neither revoked nor expired at `now`. */
  isUsableAt(now: Date): boolean {
    return this.revokedAt === null && (this.expiresAt === null || this.expiresAt > now);
  }
}
