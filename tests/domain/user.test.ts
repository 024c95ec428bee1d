import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { USERNAME_KEY_MAX, User, usernameKey, validateAccount } from '../../src/domain/user.ts';

function fieldsOf(input: { username: string; password: string }) {
  try {
    validateAccount(input);
  } catch (error) {
    if (error instanceof DomainError) return error.fields;
    throw error;
  }
  return undefined;
}

const good = 'correct horse battery';

describe('usernames', () => {
  it('accepts letters, digits and @.+-_ up to 150 characters', () => {
    for (const username of ['ada', 'a.b+c-d_e@f', 'Zoë', '名前', 'x'.repeat(150)])
      expect(fieldsOf({ username, password: good })).toBeUndefined();
  });

  it('rejects blanks, other characters and over-long names', () => {
    expect(fieldsOf({ username: '', password: good })?.username).toEqual([
      'This field may not be blank.',
    ]);
    for (const username of ['a b', 'a/b', 'semi;colon', '<script>'])
      expect(fieldsOf({ username, password: good })?.username?.[0]).toMatch(/valid username/);
    expect(fieldsOf({ username: 'x'.repeat(151), password: good })?.username).toEqual([
      'Ensure this field has no more than 150 characters.',
    ]);
  });

  it('normalizes compatibility forms and compares without case', () => {
    expect(validateAccount({ username: 'ａｄａ', password: good })).toBe('ada');
    expect(usernameKey('ADA')).toBe(usernameKey('ada'));
  });
});

describe('the identity key of a username', () => {
  it.each([
    ['Ǆ', 'ǅ', 'ǆ', 'DŽ', 'dž'],
    ['xꟌ', 'xꟍ'],
    ['xᲉ', 'xᲊ'],
    ['ＡＤＡ', 'ａｄａ', 'ADA', 'ada'],
    ['Straße', 'STRASSE', 'straẞe', 'strasse'],
    ['vİctim', 'VİCTIM', 'vI\u0307ctim'],
    ['ΣΟΦΟΣ', 'σοφος', 'σοφοσ'],
  ])('is one key for every spelling of %s', (...spellings) => {
    expect(new Set(spellings.map(usernameKey)).size).toBe(1);
  });

  it('folds fully, not as toLowerCase does', () => {
    expect('ẞ'.toLowerCase()).toBe('ß');
    expect(usernameKey('ẞ')).toBe('ss');
    // `İ` is `i` with a dot above: neither `i` nor the `i̇` toLowerCase makes of it in another key.
    expect(usernameKey('vİctim')).toBe('vi\u0307ctim');
    expect(usernameKey('vİctim')).not.toBe(usernameKey('victim'));
  });

  it(`is at most ${USERNAME_KEY_MAX} code units for any valid name`, () => {
    // The longest key of one character a username may hold, over every code point.
    let longest = 0;
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const char = String.fromCodePoint(codePoint);
      if (char.normalize('NFKC') !== char || !/^[\p{L}\p{N}@.+\-_]$/u.test(char)) continue;
      longest = Math.max(longest, usernameKey(char).length);
    }
    expect(longest * 150).toBeLessThanOrEqual(USERNAME_KEY_MAX);
  });
});

describe('passwords', () => {
  it('needs 8 code points, at most 72 UTF-8 bytes, not all digits, not the username', () => {
    expect(fieldsOf({ username: 'ada', password: 'short' })?.password?.[0]).toMatch(/too short/);
    expect(fieldsOf({ username: 'ada', password: '😀😀😀😀😀😀😀😀' })).toBeUndefined();
    expect(fieldsOf({ username: 'ada', password: 'é'.repeat(37) })?.password?.[0]).toMatch(
      /at most 72 bytes/,
    );
    expect(fieldsOf({ username: 'ada', password: '12345678' })?.password).toEqual([
      'This password is entirely numeric.',
    ]);
    expect(fieldsOf({ username: 'Adalovelace', password: 'adaLOVELACE' })?.password).toEqual([
      'The password is too similar to the username.',
    ]);
  });

  it('reports username and password problems together', () => {
    expect(Object.keys(fieldsOf({ username: 'a b', password: '1' }) ?? {})).toEqual([
      'username',
      'password',
    ]);
  });
});

describe('account status', () => {
  const account = (id: number, isStaff = false) =>
    new User({
      id,
      username: `user${id}`,
      email: '',
      passwordHash: '',
      isStaff,
      isActive: true,
      dateJoined: new Date(0),
    });
  const staff = account(1, true);

  it('is changed by staff, one flag or both', () => {
    const ada = account(2);
    ada.changeStatus({ isStaff: true }, staff.actor);
    expect(ada).toMatchObject({ isStaff: true, isActive: true });
    ada.changeStatus({ isActive: false, isStaff: false }, staff.actor);
    expect(ada).toMatchObject({ isStaff: false, isActive: false });
  });

  it('is changed by nobody else', () => {
    const ada = account(2);
    expect(() => ada.changeStatus({ isStaff: true }, ada.actor)).toThrow(
      expect.objectContaining({ kind: 'forbidden' }),
    );
    expect(ada.isStaff).toBe(false);
  });

  it('cannot lock its own staff user out, though confirming it is harmless', () => {
    for (const [changes, field] of [
      [{ isActive: false }, 'is_active'],
      [{ isStaff: false }, 'is_staff'],
      [{ isActive: false, isStaff: true }, 'is_active'],
    ] as const) {
      const self = account(1, true);
      expect(() => self.changeStatus(changes, self.actor)).toThrow(
        expect.objectContaining({ kind: 'validation', fields: { [field]: [expect.any(String)] } }),
      );
      expect(self).toMatchObject({ isStaff: true, isActive: true });
    }
    const self = account(1, true);
    self.changeStatus({ isActive: true, isStaff: true }, self.actor);
    expect(self).toMatchObject({ isStaff: true, isActive: true });
  });
});
