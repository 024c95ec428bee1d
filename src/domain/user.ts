import type { Scope } from './api-token.ts';
import { Entity } from './entity.ts';
import { type FieldErrors, fieldError, forbidden, throwIfInvalid } from './errors.ts';
import { caseInsensitiveKey, codePointLength, utf8Length } from './text.ts';

/** Who is acting: enough to decide visibility and permissions without a lookup. */
export interface Actor {
  readonly id: number;
  readonly isStaff: boolean;
  /** Set when the caller signed in with a personal API token, which only reaches its scopes. */
  readonly apiToken?: { readonly id: number; readonly scopes: readonly Scope[] };
}

export const USERNAME_MAX = 150;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX_BYTES = 72;

const USERNAME_PATTERN = /^[\p{L}\p{N}@.+\-_]+$/u;

export interface UserProps {
  id: number;
  username: string;
  email: string;
  passwordHash: string;
  isStaff: boolean;
  isActive: boolean;
  dateJoined: Date;
}

export type UserDraft = Omit<UserProps, 'id'>;

/** What staff may change of an account. */
export interface AccountStatus {
  isActive: boolean;
  isStaff: boolean;
}

export const notStaff = () => forbidden('You do not have permission to perform this action.');

/** Managing other people's accounts is for staff only. */
export function assertStaff(actor: Actor): void {
  if (!actor.isStaff) throw notStaff();
}

export class User extends Entity<UserProps>() {
  get actor(): Actor {
    return { id: this.id, isStaff: this.isStaff };
  }

  /**
   * Staff activate and deactivate accounts and grant or take staff status; nobody may lock
   * themself out, so that the last staff account cannot be lost by its own hand.
   */
  changeStatus(changes: Partial<AccountStatus>, by: Actor): void {
    assertStaff(by);
    if (by.id === this.id)
      throwIfInvalid({
        is_active: changes.isActive === false ? ['You cannot deactivate your own account.'] : [],
        is_staff: changes.isStaff === false ? ['You cannot remove your own staff status.'] : [],
      });
    Object.assign(this, {
      isActive: changes.isActive ?? this.isActive,
      isStaff: changes.isStaff ?? this.isStaff,
    });
  }

  /** Made staff by an operator at the command line, who needs no account of their own. */
  promote(): void {
    Object.assign(this, { isStaff: true });
  }

  /** The hash of a password that `validatePassword` accepted. */
  setPasswordHash(passwordHash: string): void {
    Object.assign(this, { passwordHash });
  }
}

/** Compatibility forms of a name (full-width letters, ligatures) are one name, as in Django. */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC');
}

/**
 * The identity of a username (`caseInsensitiveKey`). Two names with one key cannot both exist,
 * and look-up and the log-in failure count go by the key, so every spelling of a name is one
 * account and one count. The stored name keeps the spelling its owner chose.
 */
export function usernameKey(username: string): string {
  return caseInsensitiveKey(username);
}

/**
 * The longest key a valid username has, in UTF-16 code units: no letter or digit a username may
 * hold keys to more than two (scripts/generate-case-folding.ts's table, checked in
 * tests/domain/user.test.ts).
 */
export const USERNAME_KEY_MAX = 2 * USERNAME_MAX;

function usernameErrors(username: string): string[] {
  if (username.length === 0) return ['This field may not be blank.'];
  if (codePointLength(username) > USERNAME_MAX)
    return [`Ensure this field has no more than ${USERNAME_MAX} characters.`];
  if (!USERNAME_PATTERN.test(username))
    return [
      'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    ];
  return [];
}

function passwordErrors(password: string, username: string): string[] {
  const errors: string[] = [];
  if (codePointLength(password) < PASSWORD_MIN)
    errors.push(`This password is too short. It must contain at least ${PASSWORD_MIN} characters.`);
  // bcrypt ignores every byte after the 72nd, so a longer password would be silently truncated.
  if (utf8Length(password) > PASSWORD_MAX_BYTES)
    errors.push(
      `This password is too long. It must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8.`,
    );
  if (/^\d+$/.test(password)) errors.push('This password is entirely numeric.');
  if (password.toLowerCase() === username.toLowerCase())
    errors.push('The password is too similar to the username.');
  return errors;
}

/** Applies the password rules to a new password of `username`; errors are reported on `field`. */
export function validatePassword(password: string, username: string, field = 'password'): void {
  throwIfInvalid({ [field]: passwordErrors(password, username) });
}

/** Validates a new account's name and password; returns the normalized username. */
export function validateAccount(input: { username: string; password: string }): string {
  const username = normalizeUsername(input.username);
  const fields: FieldErrors = {
    username: usernameErrors(username),
    password: passwordErrors(input.password, username),
  };
  throwIfInvalid(fields);
  return username;
}

export const usernameTaken = () =>
  fieldError('username', 'A user with that username already exists.');
