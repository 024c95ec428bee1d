// Security review finding 7: text that is not Unicode was silently altered. A title with a lone
// surrogate (`"a\ud800b"`) got 201 echoing it, then GET returned `a\ufffdb` under the same ETag;
// raw `\xff\xfe` bytes were stored as `��`. Now both are refused with 400 and nothing is stored.
import { beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, type SignedUp, type TestResponse } from '../harness.ts';

let h: Harness;
let ada: SignedUp;
beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
});

/** A request whose body is exactly these bytes. */
async function send(method: string, path: string, body: Uint8Array | string, type: string) {
  return (await h.app.request(`http://localhost${path}`, {
    method,
    body,
    headers: { 'Content-Type': type, Authorization: `Bearer ${ada.token}` },
  })) as TestResponse;
}

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part)] : part)),
  );

const tasks = async () => (await h.request('GET', '/api/tasks/', { token: ada.token })).json();

describe('text that is not Unicode', () => {
  it('is refused in a JSON string, a lone surrogate escaped, and nothing is stored', async () => {
    for (const body of [
      '{"title": "a\\ud800b"}',
      '{"title": "x", "description": "\\udfff"}',
      '{"title": "\\ud83d"}',
      '{"ti\\ud800tle": "x"}',
    ]) {
      const response = await send('POST', '/api/tasks/', body, 'application/json');
      expect(response.status, body).toBe(400);
      expect((await response.json()).detail, body).toMatch(/Unicode/);
    }
    const refused = await send('POST', '/api/tasks/', '{"title": "a\\ud800b"}', 'application/json');
    expect((await refused.json()).errors).toEqual({
      title: ['Not valid Unicode: the text holds a lone surrogate.'],
    });
    // A surrogate pair escaped is a character like any other.
    expect(
      (await send('POST', '/api/tasks/', '{"title": "\\ud83d\\ude00"}', 'application/json')).status,
    ).toBe(201);
    expect((await tasks()).map((task: { title: string }) => task.title)).toEqual(['😀']);
  });

  it('is refused as bytes that are not UTF-8, and nothing is stored', async () => {
    const response = await send(
      'POST',
      '/api/tasks/',
      bytes('{"title": "a', [0xff, 0xfe], 'b"}'),
      'application/json',
    );
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({
      non_field_errors: ['The body is not valid UTF-8.'],
    });
    // An overlong encoding and an encoded surrogate are not UTF-8 either.
    for (const invalid of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
    ])
      expect(
        (await send('POST', '/api/tasks/', bytes('{"title": "', invalid, '"}'), 'application/json'))
          .status,
      ).toBe(400);
    expect(await tasks()).toEqual([]);
  });

  it('leaves a task as it was when a change to it is refused', async () => {
    const created = await h.request('POST', '/api/tasks/', {
      token: ada.token,
      json: { title: 'kept' },
    });
    const task = await created.json();
    for (const method of ['PUT', 'PATCH'])
      expect(
        (await send(method, `/api/tasks/${task.id}/`, '{"title": "a\\udc00"}', 'application/json'))
          .status,
      ).toBe(400);
    const after = await h.request('GET', `/api/tasks/${task.id}/`, { token: ada.token });
    expect(await after.json()).toEqual(task);
    expect(after.headers.get('ETag')).toBe(created.headers.get('ETag'));
  });

  it('is refused in account bodies, JSON and forms alike', async () => {
    const cases: [string, string | Uint8Array, string][] = [
      ['/register/', '{"username": "ev\\ud800e", "password": "correct horse"}', 'application/json'],
      ['/register/', 'username=ev%FFe&password=correct+horse', 'application/x-www-form-urlencoded'],
      ['/register/', 'username=ev%ED%A0%80e&password=x', 'application/x-www-form-urlencoded'],
      [
        '/register/',
        bytes('username=ev', [0xff], 'e&password=x'),
        'application/x-www-form-urlencoded',
      ],
      ['/api/token/', '{"username": "\\udfff", "password": "x"}', 'application/json'],
    ];
    for (const [path, body, type] of cases) {
      const response = await send('POST', path, body, type);
      expect(response.status, String(body)).toBe(400);
    }
    const users = await h.request('GET', '/api/users/', { token: ada.token });
    expect((await users.json()).map((user: { username: string }) => user.username)).toEqual([
      ada.username,
    ]);
  });
});
