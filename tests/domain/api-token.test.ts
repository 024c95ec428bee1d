import { describe, expect, it } from 'vitest';
import { ApiToken, draftApiToken } from '../../src/domain/api-token.ts';
import { DomainError } from '../../src/domain/errors.ts';

const NOW = new Date('2026-01-01T09:00:00.000Z');
const owner = { userId: 1, digest: 'digest' };
const later = (ms: number) => new Date(NOW.getTime() + ms);

function fieldsOf(request: Parameters<typeof draftApiToken>[0]) {
  try {
    draftApiToken(request, owner, NOW);
  } catch (error) {
    if (error instanceof DomainError) return error.fields;
    throw error;
  }
  return undefined;
}

describe('a new API token', () => {
  it('is named, trimmed, and states `write` with the `read` it implies', () => {
    expect(draftApiToken({ name: ' ci ', scopes: ['write'] }, owner, NOW)).toEqual({
      ...owner,
      name: 'ci',
      scopes: ['read', 'write'],
      createdAt: NOW,
      expiresAt: null,
    });
    expect(draftApiToken({ name: 'ci', scopes: ['read', 'read'] }, owner, NOW).scopes).toEqual([
      'read',
    ]);
  });

  it('counts its name in code points, up to 100', () => {
    expect(fieldsOf({ name: '😀'.repeat(100), scopes: ['read'] })).toBeUndefined();
    expect(fieldsOf({ name: '😀'.repeat(101), scopes: ['read'] })?.name).toHaveLength(1);
  });

  it('refuses an empty or unknown scope and a past expiry, naming each field', () => {
    expect(fieldsOf({ name: '', scopes: ['read', 'admin'], expiresAt: NOW })).toEqual({
      name: ['This field may not be blank.'],
      scopes: ['"admin" is not a valid choice.'],
      expires_at: ['Ensure this date is in the future.'],
    });
    expect(fieldsOf({ name: 'ci', scopes: [] })?.scopes).toEqual(['This list may not be empty.']);
  });
});

describe('an API token', () => {
  const token = (props: Partial<ApiToken> = {}) =>
    new ApiToken({
      id: 1,
      ...owner,
      name: 'ci',
      scopes: ['read'],
      createdAt: NOW,
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      ...props,
    });

  it('is usable until it expires, and not at all once revoked', () => {
    expect(token().isUsableAt(later(10 ** 12))).toBe(true);
    const expiring = token({ expiresAt: later(1000) });
    expect(expiring.isUsableAt(later(999))).toBe(true);
    expect(expiring.isUsableAt(later(1000))).toBe(false);
    expect(token({ revokedAt: NOW }).isUsableAt(later(1))).toBe(false);
  });
});
