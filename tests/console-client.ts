import { type Harness, PASSWORD, type TestResponse } from './harness.ts';

export const ORIGIN = 'http://localhost';

/**
 * A browser as far as the console cares: it keeps cookies, sends its Origin on POST, and reads
 * each form's CSRF token from the page the form is on.
 */
export function consoleClient(h: Harness, options: { ip?: string } = {}) {
  const jar = new Map<string, { value: string; attributes: string }>();
  let lastPage = '';

  function remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', value = ''] = pair.split(/=(.*)/s);
      if (/max-age=0/i.test(line) || value === '') jar.delete(name.trim());
      else jar.set(name.trim(), { value, attributes: attributes.join(';').trim() });
    }
  }

  async function send(method: string, path: string, form?: Record<string, string>, headers = {}) {
    const cookie = [...jar].map(([name, { value }]) => `${name}=${value}`).join('; ');
    const response = await h.request(method, path, {
      ip: options.ip,
      headers: {
        ...(cookie && { Cookie: cookie }),
        ...(form && {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: ORIGIN,
        }),
        ...headers,
      },
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
    remember(response);
    return response;
  }

  return {
    jar,
    async get(path: string): Promise<TestResponse & { html: string }> {
      const response = await send('GET', path);
      const html = await response.text();
      lastPage = html;
      return Object.assign(response, { html });
    },
    /** The CSRF token of the page fetched last. */
    csrf(): string {
      const token = /name="csrf" value="([^"]+)"/.exec(lastPage)?.[1];
      if (!token) throw new Error('no CSRF token on the last page');
      return token;
    },
    /** Posts `form` with the last page's CSRF token (unless the form names its own). */
    async post(
      path: string,
      form: Record<string, string> = {},
      headers: Record<string, string> = {},
    ) {
      const response = await send('POST', path, { csrf: this.csrf(), ...form }, headers);
      const html = await response.text();
      return Object.assign(response, { html });
    },
    /** Posts exactly `form`, token or not. */
    async postRaw(
      path: string,
      form: Record<string, string>,
      headers: Record<string, string> = {},
    ) {
      const response = await send('POST', path, form, headers);
      return Object.assign(response, { html: await response.text() });
    },
    async signIn(username: string, password = PASSWORD) {
      await this.get('/admin/login/');
      return this.post('/admin/login/', { username, password });
    },
  };
}

export type ConsoleClient = ReturnType<typeof consoleClient>;
