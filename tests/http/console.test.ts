import { describe, expect, it } from 'vitest';
import { register } from '../../src/application/accounts/register.ts';
import { consoleClient, ORIGIN } from '../console-client.ts';
import { type Harness, harness, PASSWORD, uniqueName } from '../harness.ts';

const HOUR = 3_600_000;

async function signedInStaff(h: Harness) {
  const admin = await h.signUp({ staff: true });
  const browser = consoleClient(h);
  const response = await browser.signIn(admin.username);
  expect(response.status).toBe(303);
  return { admin, browser };
}

/** Makes the oldest pending event dead, as the dispatcher does once its attempts are spent. */
async function deadEvent(h: Harness, error = 'Lambda said no') {
  const [claimed] = await h.queue.claim(
    h.clock.now(),
    1,
    new Date(h.clock.now().getTime() + 60_000),
  );
  if (!claimed) throw new Error('no pending event');
  await h.queue.markDead(claimed.event.eventId, error);
  return claimed.event.eventId;
}

/** A project made through the API by `owner`, who is its first owner. */
async function newProject(h: Harness, owner: { token: string }, name = 'Site') {
  const response = await h.request('POST', '/api/projects/', {
    token: owner.token,
    json: { name },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; name: string; version: number };
}

const membersOf = async (h: Harness, token: string, projectId: number) =>
  (await (await h.request('GET', `/api/projects/${projectId}/members/`, { token })).json()).map(
    (member: { user: { username: string }; role: string }) => [member.user.username, member.role],
  );

describe('console sign-in and sessions', () => {
  it('signs staff in with a session cookie that is HttpOnly, SameSite=Strict, for /admin only', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const cookie = browser.jar.get('admin_session');
    expect(cookie?.attributes).toMatch(/Path=\/admin/);
    expect(cookie?.attributes).toMatch(/HttpOnly/);
    expect(cookie?.attributes).toMatch(/SameSite=Strict/);
    expect(cookie?.attributes).not.toMatch(/Secure/);
    expect(cookie?.attributes).toMatch(/Max-Age=28800/);
    const overview = await browser.get('/admin/');
    expect(overview.status).toBe(200);
    expect(overview.html).toContain('Overview');
  });

  it('marks the cookies Secure when told to (production)', async () => {
    const h = await harness({ secureCookies: true });
    const { browser } = await signedInStaff(h);
    expect(browser.jar.get('admin_session')?.attributes).toMatch(/Secure/);
  });

  it('refuses a user who is not staff with the same message as a wrong password', async () => {
    const h = await harness();
    const ada = await h.signUp();
    const browser = consoleClient(h);
    for (const password of [PASSWORD, 'wrong password']) {
      const response = await browser.signIn(ada.username, password);
      expect(response.status).toBe(400);
      expect(response.html).toContain(
        'Please enter the correct username and password for a staff account.',
      );
      expect(browser.jar.has('admin_session')).toBe(false);
    }
    expect((await browser.get('/admin/')).status).toBe(303);
  });

  it('sends a visitor with no session to the sign-in page, and back after signing in', async () => {
    const h = await harness();
    const admin = await h.signUp({ staff: true });
    const browser = consoleClient(h);
    const response = await browser.get('/admin/tasks/');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin/login/?next=%2Fadmin%2Ftasks%2F');
    await browser.get('/admin/login/?next=%2Fadmin%2Ftasks%2F');
    const signedIn = await browser.post('/admin/login/', {
      username: admin.username,
      password: PASSWORD,
      next: '/admin/tasks/',
    });
    expect(signedIn.headers.get('Location')).toBe('/admin/tasks/');
    const another = consoleClient(h);
    await another.get('/admin/login/');
    const elsewhere = await another.post('/admin/login/', {
      username: admin.username,
      password: PASSWORD,
      next: '//evil.example/admin/',
    });
    expect(elsewhere.headers.get('Location')).toBe('/admin/');
  });

  it('ends the session on the server at sign-out: the old cookie no longer works', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const stolen = browser.jar.get('admin_session')?.value;
    await browser.get('/admin/');
    expect((await browser.post('/admin/logout/')).status).toBe(303);
    expect(browser.jar.has('admin_session')).toBe(false);
    const replay = await h.request('GET', '/admin/', {
      headers: { Cookie: `admin_session=${stolen}` },
    });
    expect(replay.status).toBe(303);
  });

  it('ends a session after ADMIN_SESSION_TTL', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    h.clock.advance(8 * HOUR - 1000);
    expect((await browser.get('/admin/')).status).toBe(200);
    h.clock.advance(2000);
    expect((await browser.get('/admin/')).status).toBe(303);
  });

  it('ends the session of a staff member deactivated or demoted, at once', async () => {
    const h = await harness();
    const boss = await h.signUp({ staff: true });
    for (const change of [{ is_active: false }, { is_staff: false }]) {
      const { admin, browser } = await signedInStaff(h);
      expect((await browser.get('/admin/')).status).toBe(200);
      const patched = await h.request('PATCH', `/api/users/${admin.id}/`, {
        token: boss.token,
        json: change,
      });
      expect(patched.status).toBe(200);
      expect((await browser.get('/admin/')).status).toBe(303);
      // Reactivated or promoted again, the old session stays over.
      await h.request('PATCH', `/api/users/${admin.id}/`, {
        token: boss.token,
        json: { is_active: true, is_staff: true },
      });
      expect((await browser.get('/admin/')).status).toBe(303);
    }
  });

  it('ends the console sessions of an account whose password staff set', async () => {
    const h = await harness();
    const boss = await h.signUp({ staff: true });
    const { admin, browser } = await signedInStaff(h);
    await h.request('POST', `/api/users/${admin.id}/password/`, {
      token: boss.token,
      json: { new_password: 'another good password' },
    });
    expect((await browser.get('/admin/')).status).toBe(303);
  });

  it('shares the log-in lockout with /api/token/', async () => {
    const h = await harness({ rates: { loginFailures: { points: 3, durationSeconds: 900 } } });
    const admin = await h.signUp({ staff: true });
    for (let i = 0; i < 2; i++)
      expect(
        (
          await h.request('POST', '/api/token/', {
            json: { username: admin.username, password: 'wrong password' },
          })
        ).status,
      ).toBe(400);
    const browser = consoleClient(h);
    expect((await browser.signIn(admin.username, 'wrong password')).status).toBe(400);
    const locked = await browser.signIn(admin.username);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toBeTruthy();
    expect(locked.html).toContain('Request was throttled');
    const api = await h.request('POST', '/api/token/', {
      json: { username: admin.username, password: PASSWORD },
    });
    expect(api.status).toBe(429);
  });

  it('throttles sign-in per address as /api/token/ is', async () => {
    const h = await harness({ rates: { anonymous: { points: 2, durationSeconds: 60 } } });
    const admin = await h.signUp({ staff: true });
    const browser = consoleClient(h, { ip: '203.0.113.9' });
    await browser.get('/admin/login/');
    expect((await browser.post('/admin/login/', { username: 'x', password: 'y' })).status).toBe(
      400,
    );
    await browser.get('/admin/login/');
    expect((await browser.post('/admin/login/', { username: 'x', password: 'y' })).status).toBe(
      400,
    );
    expect((await browser.signIn(admin.username)).status).toBe(429);
  });
});

describe('console protections', () => {
  it('refuses a POST without the CSRF token, or with another one, with 403 and no change', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const path = `/admin/users/${ada.id}/status/`;
    await browser.get(`/admin/users/${ada.id}/`);
    expect((await browser.postRaw(path, { is_active: 'false' })).status).toBe(403);
    expect((await browser.postRaw(path, { is_active: 'false', csrf: 'a'.repeat(64) })).status).toBe(
      403,
    );
    const other = consoleClient(h);
    await other.signIn((await h.signUp({ staff: true })).username);
    await other.get('/admin/');
    expect((await browser.postRaw(path, { is_active: 'false', csrf: other.csrf() })).status).toBe(
      403,
    );
    expect((await h.deps.users.byId(ada.id))?.isActive).toBe(true);
  });

  it('refuses every project form without the CSRF token, with 403 and no change', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const bob = await h.signUp();
    const project = await newProject(h, ada);
    await browser.get(`/admin/projects/${project.id}/`);
    const base = `/admin/projects/${project.id}`;
    for (const [path, form] of [
      [`${base}/`, { version: '1', name: 'Renamed', description: '', archived: 'true' }],
      [`${base}/members/`, { user: String(bob.id), role: 'editor' }],
      [`${base}/members/${ada.id}/`, { role: 'viewer' }],
      [`${base}/members/${ada.id}/remove/`, {}],
      [`${base}/delete/`, { version: '1' }],
    ] as const) {
      expect((await browser.postRaw(path, form)).status, path).toBe(403);
      expect((await browser.postRaw(path, { ...form, csrf: 'a'.repeat(64) })).status, path).toBe(
        403,
      );
    }
    expect(
      await (await h.request('GET', `/api/projects/${project.id}/`, { token: ada.token })).json(),
    ).toMatchObject({ name: 'Site', archived: false, version: 1 });
    expect(await membersOf(h, ada.token, project.id)).toEqual([[ada.username, 'owner']]);
  });

  it('refuses a form posted from another origin, or with no Origin, even with the token', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    await browser.get(`/admin/users/${ada.id}/`);
    const path = `/admin/users/${ada.id}/status/`;
    for (const origin of ['https://evil.example', 'null'])
      expect((await browser.post(path, { is_active: 'false' }, { Origin: origin })).status).toBe(
        403,
      );
    const noOrigin = await h.request('POST', path, {
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: `admin_session=${browser.jar.get('admin_session')?.value}`,
      },
      body: new URLSearchParams({ is_active: 'false', csrf: browser.csrf() }).toString(),
    });
    expect(noOrigin.status).toBe(403);
    expect((await h.deps.users.byId(ada.id))?.isActive).toBe(true);
    expect((await browser.post(path, { is_active: 'false' }, { Origin: ORIGIN })).status).toBe(303);
    expect((await h.deps.users.byId(ada.id))?.isActive).toBe(false);
  });

  it('refuses a sign-in posted without the sign-in page’s token', async () => {
    const h = await harness();
    const admin = await h.signUp({ staff: true });
    const browser = consoleClient(h);
    const response = await browser.postRaw('/admin/login/', {
      username: admin.username,
      password: PASSWORD,
    });
    expect(response.status).toBe(403);
    expect(browser.jar.has('admin_session')).toBe(false);
  });

  it('answers every page with a same-origin CSP, no-store, and loads nothing from elsewhere', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    const task = await (
      await h.request('POST', '/api/tasks/', { token: admin.token, json: { title: 'Paint' } })
    ).json();
    const project = await newProject(h, admin);
    expect((await browser.get('/admin/login/')).headers.get('Location')).toBe('/admin/');
    const pages = [
      '/admin/',
      '/admin/users/',
      `/admin/users/${admin.id}/`,
      '/admin/tasks/',
      `/admin/tasks/${task.id}/`,
      `/admin/tasks/${task.id}/delete/`,
      '/admin/projects/',
      `/admin/projects/${project.id}/`,
      `/admin/projects/${project.id}/delete/`,
      '/admin/notifications/',
      '/admin/notifications/?state=dead',
    ];
    for (const path of pages) {
      const response = await browser.get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('Content-Security-Policy'), path).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get('Cache-Control'), path).toBe('no-store');
      expect(response.html, path).not.toMatch(/(src|href|action)="(https?:)?\/\//);
      expect(response.html, path).not.toMatch(/<script/);
    }
    const signIn = await consoleClient(h).get('/admin/login/');
    expect(signIn.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none'/);
    expect(signIn.headers.get('Cache-Control')).toBe('no-store');
    const css = await browser.get('/admin/console.css');
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 with a page for what does not exist', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    for (const path of [
      '/admin/users/999/',
      '/admin/tasks/999/',
      '/admin/tasks/abc/',
      '/admin/projects/999/',
      '/admin/projects/999/delete/',
      '/admin/nothing/',
    ]) {
      const response = await browser.get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('Content-Type')).toMatch(/text\/html/);
    }
  });
});

describe('console pages', () => {
  it('counts users, tasks and notifications on the overview', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    await h.request('POST', '/api/tasks/', {
      token: admin.token,
      json: { title: 'a', status: 'completed' },
    });
    await h.request('POST', '/api/tasks/', {
      token: admin.token,
      json: { title: 'b', status: 'completed' },
    });
    await h.request('POST', '/api/tasks/', { token: admin.token, json: { title: 'c' } });
    await newProject(h, admin, 'One');
    await newProject(h, admin, 'Two');
    await deadEvent(h);
    h.clock.advance(5 * 60_000);
    const overview = (await browser.get('/admin/')).html;
    expect(overview).toContain('<strong>1</strong> users');
    expect(overview).toContain('<strong>3</strong> tasks');
    expect(overview).toContain('<a href="/admin/projects/"><strong>2</strong> projects');
    expect(overview).toContain('<li><a href="/admin/projects/">Projects</a></li>');
    expect(overview).toContain('<strong>1</strong> notifications pending');
    expect(overview).toContain('<strong>5 min</strong> age of the oldest pending notification');
    expect(overview).toContain(
      '<a href="/admin/notifications/?state=dead"><strong>1</strong> notifications dead',
    );
  });

  it('searches users, inactive ones too, page by page', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const prefix = uniqueName('zed');
    for (let i = 0; i < 52; i++)
      await register(h.deps, { username: `${prefix}x${i}`, password: PASSWORD });
    const gone = await h.deps.users.byUsername(`${prefix}x3`);
    await h.deactivate(gone?.id as number);
    const first = await browser.get(`/admin/users/?search=${prefix}`);
    expect(first.html.match(/<tr>/g)).toHaveLength(51);
    expect(first.html).toContain(`${prefix}x3</a>`);
    const next = /<a rel="next" href="\?([^"]+)"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    const second = await browser.get(`/admin/users/?${next}`);
    expect(second.html.match(/<tr>/g)).toHaveLength(3);
    expect(second.html).toContain(`${prefix}x51</a>`);
    expect(second.html).not.toContain('rel="next"');
  });

  it('deactivates and activates a user, whose API log-in then fails and works again', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    await browser.get(`/admin/users/${ada.id}/`);
    const done = await browser.post(`/admin/users/${ada.id}/status/`, { is_active: 'false' });
    expect(done.headers.get('Location')).toBe(`/admin/users/${ada.id}/?done=status`);
    const login = { json: { username: ada.username, password: PASSWORD } };
    expect((await h.request('POST', '/api/token/', login)).status).toBe(400);
    const shown = await browser.get(`/admin/users/${ada.id}/?done=status`);
    expect(shown.html).toContain('<dt>Active</dt><dd>no</dd>');
    await browser.post(`/admin/users/${ada.id}/status/`, { is_active: 'true' });
    expect((await h.request('POST', '/api/token/', login)).status).toBe(200);
  });

  it('grants and takes staff status', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    await browser.get(`/admin/users/${ada.id}/`);
    await browser.post(`/admin/users/${ada.id}/status/`, { is_staff: 'true' });
    expect((await h.deps.users.byId(ada.id))?.isStaff).toBe(true);
    await browser.post(`/admin/users/${ada.id}/status/`, { is_staff: 'false' });
    expect((await h.deps.users.byId(ada.id))?.isStaff).toBe(false);
  });

  it('shows the use case’s refusal next to the field: nobody deactivates themself', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    await browser.get(`/admin/users/${admin.id}/`);
    const refused = await browser.post(`/admin/users/${admin.id}/status/`, { is_active: 'false' });
    expect(refused.status).toBe(400);
    expect(refused.html).toMatch(
      /<ul class="errors" id="is_active-errors">\s*<li>You cannot deactivate your own account.<\/li>/,
    );
    expect((await h.deps.users.byId(admin.id))?.isActive).toBe(true);
  });

  it('sets a password under the password rules, shown by the field', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    await browser.get(`/admin/users/${ada.id}/`);
    const short = await browser.post(`/admin/users/${ada.id}/password/`, { new_password: 'short' });
    expect(short.status).toBe(400);
    expect(short.html).toContain('aria-describedby="new_password-errors"');
    expect(short.html).toContain('This password is too short.');
    const set = await browser.post(`/admin/users/${ada.id}/password/`, {
      new_password: 'a brand new password',
    });
    expect(set.status).toBe(303);
    const login = await h.request('POST', '/api/token/', {
      json: { username: ada.username, password: 'a brand new password' },
    });
    expect(login.status).toBe(200);
    expect(
      (await h.request('POST', '/api/token/refresh/', { json: { refresh: ada.refresh } })).status,
    ).toBe(401);
  });

  it('lists tasks with the API’s filters and orderings, page by page', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    const ada = await h.signUp();
    for (const [title, status] of [
      ['Bake bread', 'completed'],
      ['Answer mail', 'pending'],
      ['Cut grass', 'completed'],
    ])
      await h.request('POST', '/api/tasks/', { token: ada.token, json: { title, status } });
    await h.request('POST', '/api/tasks/', {
      token: admin.token,
      json: { title: 'Do taxes', assigned_to: ada.id },
    });
    const titles = (html: string) =>
      [...html.matchAll(/\/">([^<]+)<\/a><\/td>\s*<td>(pending|completed)/g)].map((m) => m[1]);

    expect(
      titles((await browser.get('/admin/tasks/?status=completed&ordering=-title')).html),
    ).toEqual(['Cut grass', 'Bake bread']);
    expect(titles((await browser.get(`/admin/tasks/?assigned_to=${ada.id}`)).html)).toEqual([
      'Do taxes',
    ]);
    expect(titles((await browser.get('/admin/tasks/?created_by=me')).html)).toEqual(['Do taxes']);
    expect(titles((await browser.get('/admin/tasks/?search=grass')).html)).toEqual(['Cut grass']);

    const first = await browser.get('/admin/tasks/?ordering=title&limit=3');
    expect(titles(first.html)).toEqual(['Answer mail', 'Bake bread', 'Cut grass']);
    const next = /<a rel="next" href="\?([^"]+)"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(titles((await browser.get(`/admin/tasks/?${next}`)).html)).toEqual(['Do taxes']);
    const project = await newProject(h, ada, 'Garden');
    await h.request('POST', '/api/tasks/', {
      token: ada.token,
      json: { title: 'Weed beds', project: project.id },
    });
    const inProject = await browser.get(`/admin/tasks/?project=${project.id}`);
    expect(titles(inProject.html)).toEqual(['Weed beds']);
    expect(inProject.html).toContain(`<a href="/admin/projects/${project.id}/">${project.id}</a>`);
    expect(titles((await browser.get('/admin/tasks/?project=none&search=weed')).html)).toEqual([]);
    expect(titles((await browser.get('/admin/tasks/?project=none&search=grass')).html)).toEqual([
      'Cut grass',
    ]);
  });

  it('shows a filter the API would refuse next to its field', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const bad = await browser.get('/admin/tasks/?assigned_to=someone&ordering=colour');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Enter a user id, &quot;me&quot; or &quot;none&quot;.');
    expect(bad.html).toContain('id="ordering-errors"');
    const project = await browser.get('/admin/tasks/?project=garden');
    expect(project.status).toBe(400);
    expect(project.html).toContain('Enter a project id or &quot;none&quot;.');
    const short = await browser.get('/admin/tasks/?search=ab');
    expect(short.status).toBe(400);
    expect(short.html).toContain('id="search-errors"');
  });

  it('edits every writable field of a task through the API’s use case', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const bob = await h.signUp();
    const task = await (
      await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'Old' } })
    ).json();
    const project = await newProject(h, bob);
    const form = await browser.get(`/admin/tasks/${task.id}/`);
    expect(form.html).toContain('<label for="title">Title</label>');
    expect(form.html).toContain(
      '<label for="project">Project (project id; empty for none)</label>',
    );
    const saved = await browser.post(`/admin/tasks/${task.id}/`, {
      version: '1',
      title: '  New title ',
      description: 'Details',
      status: 'completed',
      assigned_to: String(bob.id),
      project: String(project.id),
    });
    expect(saved.status).toBe(303);
    const after = await (
      await h.request('GET', `/api/tasks/${task.id}/`, { token: ada.token })
    ).json();
    expect(after).toMatchObject({
      title: 'New title',
      description: 'Details',
      status: 'completed',
      assigned_to: bob.id,
      project: project.id,
      version: 2,
    });
    expect((await browser.get(`/admin/tasks/${task.id}/`)).html).toContain(
      `name="project" type="text" value="${project.id}"`,
    );
    // The completion went out as the API's would.
    expect((await h.completions()).map((event) => event.taskId)).toEqual([task.id]);
    await browser.get(`/admin/tasks/${task.id}/`);
    await browser.post(`/admin/tasks/${task.id}/`, {
      version: '2',
      title: 'New title',
      description: 'Details',
      status: 'completed',
      assigned_to: '',
      project: '',
    });
    expect(await h.deps.tasks.byId(task.id)).toMatchObject({ assignedTo: null, projectId: null });
  });

  it('edits due_at, priority and labels through the API’s schemas, and shows them back', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const task = await (
      await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'Plan' } })
    ).json();
    const form = await browser.get(`/admin/tasks/${task.id}/`);
    expect(form.html).toContain('<label for="due_at">');
    expect(form.html).toContain('<label for="priority">Priority</label>');
    expect(form.html).toContain('<label for="labels">Labels (comma-separated)</label>');
    const fields = { version: '1', title: 'Plan', description: '', status: 'pending' };
    const bad = await browser.post(`/admin/tasks/${task.id}/`, {
      ...fields,
      due_at: '2026-03-01',
      priority: 'highest',
      labels: 'ok',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="due_at-errors"');
    expect(bad.html).toContain('id="priority-errors"');
    const saved = await browser.post(`/admin/tasks/${task.id}/`, {
      ...fields,
      due_at: ' 2026-03-01T17:00:00+01:00 ',
      priority: 'high',
      labels: 'ui, Bug,, ',
    });
    expect(saved.status).toBe(303);
    const get = async () =>
      (await h.request('GET', `/api/tasks/${task.id}/`, { token: ada.token })).json();
    expect(await get()).toMatchObject({
      due_at: '2026-03-01T16:00:00.000Z',
      priority: 'high',
      labels: ['Bug', 'ui'],
      version: 2,
    });
    const shown = (await browser.get(`/admin/tasks/${task.id}/`)).html;
    expect(shown).toContain('value="2026-03-01T16:00:00.000Z"');
    expect(shown).toContain('value="Bug, ui"');
    expect(shown).toMatch(/<option value="high" selected(="")?>/);
    expect(shown).toContain('<code>due_at</code>: — → &quot;2026-03-01T16:00:00.000Z&quot;');
    expect(shown).toContain('<code>labels</code>: [] → [&quot;Bug&quot;,&quot;ui&quot;]');
    const list = (await browser.get('/admin/tasks/')).html;
    expect(list).toMatch(
      /<td>pending<\/td>\s*<td>high<\/td>\s*<td><time datetime="2026-03-01T16:00:00.000Z">[^<]*<\/time><\/td>\s*<td>Bug, ui<\/td>/,
    );
    await browser.post(`/admin/tasks/${task.id}/`, {
      ...fields,
      version: '2',
      due_at: '',
      priority: 'high',
      labels: '',
    });
    expect(await get()).toMatchObject({ due_at: null, labels: [], version: 3 });
  });

  it('filters and orders tasks by due date, priority and labels as the API does', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const post = (json: Record<string, unknown>) =>
      h.request('POST', '/api/tasks/', { token: ada.token, json });
    await post({ title: 'Late', due_at: '2025-12-01T00:00:00Z', priority: 'low', labels: ['Bug'] });
    await post({
      title: 'Soon',
      due_at: '2026-02-01T00:00:00Z',
      priority: 'high',
      labels: ['bug', 'ui'],
    });
    await post({ title: 'Undated', priority: 'high', labels: ['ui'] });
    const titles = async (query: string) =>
      [
        ...(await browser.get(`/admin/tasks/?${query}`)).html.matchAll(
          /tasks\/\d+\/">([^<]+)<\/a><\/td>/g,
        ),
      ].map((m) => m[1]);
    expect(await titles('priority=high')).toEqual(['Soon', 'Undated']);
    expect(await titles('label=BUG')).toEqual(['Late', 'Soon']);
    expect(await titles(`label=${encodeURIComponent('bug, ui')}`)).toEqual(['Soon']);
    expect(await titles('overdue=true')).toEqual(['Late']);
    expect(await titles(`due_after=${encodeURIComponent('2026-01-01T00:00:00Z')}`)).toEqual([
      'Soon',
    ]);
    expect(await titles('ordering=-due_at')).toEqual(['Undated', 'Soon', 'Late']);
    // Ties of priority fall back on the id, descending too.
    expect(await titles('ordering=-priority')).toEqual(['Undated', 'Soon', 'Late']);
    const form = (await browser.get('/admin/tasks/')).html;
    for (const name of ['due_before', 'due_after', 'overdue', 'priority', 'label'])
      expect(form).toContain(`<label for="${name}">`);
    const bad = await browser.get('/admin/tasks/?due_before=tomorrow&priority=top');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="due_before-errors"');
    expect(bad.html).toContain('id="priority-errors"');
  });

  it('shows a task’s history, the console’s own edits included, and its comments', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const task = await (
      await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'Before' } })
    ).json();
    await h.request('POST', `/api/tasks/${task.id}/comments/`, {
      token: ada.token,
      json: { body: 'Looks <b>fine</b>' },
    });
    await browser.get(`/admin/tasks/${task.id}/`);
    await browser.post(`/admin/tasks/${task.id}/`, {
      version: '1',
      title: 'After',
      description: '',
      status: 'pending',
      assigned_to: '',
    });
    const page = (await browser.get(`/admin/tasks/${task.id}/`)).html;
    expect(page).toContain('<h2>History</h2>');
    expect(page).toMatch(new RegExp(`${admin.username}</a></td>\\s*<td>updated</td>`));
    expect(page).toContain('<code>title</code>: &quot;Before&quot; → &quot;After&quot;');
    expect(page).toMatch(new RegExp(`${ada.username}</a></td>\\s*<td>created</td>`));
    expect(page).toContain('Looks &lt;b&gt;fine&lt;/b&gt;');
  });

  it('shows the use case’s field messages on the task form, and changes nothing', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    const task = await (
      await h.request('POST', '/api/tasks/', { token: admin.token, json: { title: 'Keep' } })
    ).json();
    await browser.get(`/admin/tasks/${task.id}/`);
    const blank = await browser.post(`/admin/tasks/${task.id}/`, {
      version: '1',
      title: '  ',
      description: '',
      status: 'pending',
      assigned_to: '9999',
    });
    expect(blank.status).toBe(400);
    expect(blank.html).toContain('id="title-errors"');
    expect(blank.html).toContain('This field may not be blank.');
    const unknown = await browser.post(`/admin/tasks/${task.id}/`, {
      version: '1',
      title: 'Keep',
      description: '',
      status: 'pending',
      assigned_to: '9999',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('Invalid pk &quot;9999&quot; - object does not exist.');
    const notNumber = await browser.post(`/admin/tasks/${task.id}/`, {
      version: '1',
      title: 'Keep',
      description: '',
      status: 'pending',
      assigned_to: 'bob',
    });
    expect(notNumber.html).toContain('id="assigned_to-errors"');
    const project = await newProject(h, admin, 'Closed');
    await h.request('PATCH', `/api/projects/${project.id}/`, {
      token: admin.token,
      json: { archived: true },
    });
    for (const [value, message] of [
      [String(project.id), 'This project is archived and takes no new tasks.'],
      ['9999', 'Invalid pk &quot;9999&quot; - object does not exist.'],
      ['site', 'id="project-errors"'],
    ]) {
      const refused = await browser.post(`/admin/tasks/${task.id}/`, {
        version: '1',
        title: 'Keep',
        description: '',
        status: 'pending',
        assigned_to: '',
        project: value as string,
      });
      expect(refused.status, value).toBe(400);
      expect(refused.html, value).toContain(message);
      expect(refused.html, value).toContain('id="project-errors"');
    }
    const stale = await browser.post(`/admin/tasks/${task.id}/`, {
      version: '7',
      title: 'Changed',
      description: '',
      status: 'pending',
      assigned_to: '',
    });
    expect(stale.status).toBe(412);
    expect((await h.deps.tasks.byId(task.id))?.title).toBe('Keep');
  });

  it('deletes a task only through its confirmation page', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    const task = await (
      await h.request('POST', '/api/tasks/', { token: admin.token, json: { title: 'Doomed' } })
    ).json();
    const confirm = await browser.get(`/admin/tasks/${task.id}/delete/`);
    expect(confirm.html).toContain('The task “Doomed” will be deleted for good.');
    const deleted = await browser.post(`/admin/tasks/${task.id}/delete/`, { version: '1' });
    expect(deleted.headers.get('Location')).toBe(`/admin/tasks/?deleted=${task.id}`);
    expect((await h.request('GET', `/api/tasks/${task.id}/`, { token: admin.token })).status).toBe(
      404,
    );
  });

  it('lists pending and dead events with their last error; retries and discards dead ones', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    for (const title of ['First', 'Second', 'Third'])
      await h.request('POST', '/api/tasks/', {
        token: admin.token,
        json: { title, status: 'completed' },
      });
    const dead = await deadEvent(h, 'Lambda said no');
    const alsoDead = await deadEvent(h, 'timed out');
    expect((await browser.get('/admin/notifications/')).html).toContain('Third');
    const deadPage = await browser.get('/admin/notifications/?state=dead');
    expect(deadPage.html).toContain('Lambda said no');
    expect(deadPage.html).toContain('timed out');

    const retried = await browser.post(`/admin/notifications/${dead}/retry/`);
    expect(retried.headers.get('Location')).toBe('/admin/notifications/?state=dead&done=retried');
    const entry = (await h.outbox()).find((each) => each.event.eventId === dead);
    expect(entry).toMatchObject({ state: 'pending', attempts: 0, lastError: 'Lambda said no' });
    expect(entry?.nextAttemptAt).toEqual(h.clock.now());

    await browser.get('/admin/notifications/?state=dead');
    await browser.post(`/admin/notifications/${alsoDead}/discard/`);
    expect((await h.outbox()).map((each) => each.event.eventId)).not.toContain(alsoDead);
    // Neither is dead any more: both actions now find nothing.
    await browser.get('/admin/notifications/?state=dead');
    expect((await browser.post(`/admin/notifications/${dead}/retry/`)).status).toBe(404);
    expect((await browser.post(`/admin/notifications/${alsoDead}/discard/`)).status).toBe(404);
    expect((await browser.post('/admin/notifications/not-a-uuid/retry/')).status).toBe(404);
  });

  it('lists reminders by type and due date, and cancelled ones with no action on them', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    const due = new Date(h.clock.now().getTime() + 3 * HOUR).toISOString();
    const task = await (
      await h.request('POST', '/api/tasks/', {
        token: admin.token,
        json: { title: 'Renew the lease', due_at: due, assigned_to: admin.id },
      })
    ).json();
    const pending = (await browser.get('/admin/notifications/')).html;
    expect(pending).toContain('<td>task.due</td>');
    expect(pending).toContain('Renew the lease');
    expect(pending).toContain(`due <time datetime="${due}">`);
    // A dispatcher takes the reminder, then the due date moves: the send under way is cancelled.
    const far = new Date(h.clock.now().getTime() + 10 * HOUR);
    const [claimed] = await h.queue.claim(far, 10, new Date(far.getTime() + 60_000));
    const eventId = claimed?.event.eventId as string;
    await h.request('PATCH', `/api/tasks/${task.id}/`, {
      token: admin.token,
      json: { due_at: null },
    });
    const cancelled = (await browser.get('/admin/notifications/?state=cancelled')).html;
    expect(cancelled).toContain('<li aria-current="page">cancelled</li>');
    expect(cancelled).toContain(eventId);
    expect(cancelled).not.toContain('/retry/');
    expect(cancelled).not.toContain('/discard/');
    expect((await browser.get('/admin/notifications/?state=dead')).html).not.toContain(eventId);
    expect((await browser.post(`/admin/notifications/${eventId}/retry/`)).status).toBe(404);
    expect((await browser.post(`/admin/notifications/${eventId}/discard/`)).status).toBe(404);
    expect((await h.outbox()).find((each) => each.event.eventId === eventId)?.state).toBe(
      'cancelled',
    );
  });

  it('pages through dead events', async () => {
    const h = await harness();
    const { admin, browser } = await signedInStaff(h);
    for (let i = 0; i < 51; i++) {
      await h.request('POST', '/api/tasks/', {
        token: admin.token,
        json: { title: `t${i}`, status: 'completed' },
      });
      h.clock.advance(1000);
    }
    for (let i = 0; i < 51; i++) await deadEvent(h);
    const first = await browser.get('/admin/notifications/?state=dead');
    expect(first.html.match(/<tr>/g)).toHaveLength(51);
    const next = /<a rel="next" href="\?([^"]+)"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    const second = await browser.get(`/admin/notifications/?${next}`);
    expect(second.html.match(/<tr>/g)).toHaveLength(2);
    expect(second.html).toContain('t50');
  });
});

describe('console projects', () => {
  const nextLink = (html: string) =>
    /<a rel="next" href="\?([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  const names = (html: string) =>
    [...html.matchAll(/<a href="\/admin\/projects\/\d+\/">([^<]+)<\/a>/g)].map((m) => m[1]);

  it('lists every project with search, the archived filter and keyset pages', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const prefix = uniqueName('plan');
    for (let i = 0; i < 51; i++) await newProject(h, ada, `${prefix} ${i}`);
    const garden = await newProject(h, ada, 'Garden');
    await h.request('PATCH', `/api/projects/${garden.id}/`, {
      token: ada.token,
      json: { archived: true },
    });

    const first = await browser.get(`/admin/projects/?search=${prefix}`);
    expect(names(first.html)).toHaveLength(50);
    expect(first.html).toContain(`<a href="/admin/users/${ada.id}/">${ada.username}</a>`);
    const second = await browser.get(`/admin/projects/?${nextLink(first.html)}`);
    expect(names(second.html)).toEqual([`${prefix} 50`]);
    expect(second.html).not.toContain('rel="next"');
    expect(names((await browser.get('/admin/projects/?archived=true')).html)).toEqual(['Garden']);
    expect(names((await browser.get('/admin/projects/?archived=false')).html)).not.toContain(
      'Garden',
    );
    const bad = await browser.get('/admin/projects/?archived=maybe');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('&quot;maybe&quot; is not a valid choice.');
    const forged = await browser.get('/admin/projects/?cursor=forged');
    expect(forged.status).toBe(400);
    expect(forged.html).toContain('Invalid cursor.');
  });

  it('edits a project’s name, description and archived flag through the use case, at its version', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const project = await newProject(h, ada, 'Site');
    const form = await browser.get(`/admin/projects/${project.id}/`);
    expect(form.html).toContain('<label for="name">Name</label>');
    expect(form.html).toContain(`<a href="/admin/tasks/?project=${project.id}">`);
    const saved = await browser.post(`/admin/projects/${project.id}/`, {
      version: '1',
      name: '  Relaunch ',
      description: 'New site',
      archived: 'true',
    });
    expect(saved.headers.get('Location')).toBe(`/admin/projects/${project.id}/?done=saved`);
    const after = await (
      await h.request('GET', `/api/projects/${project.id}/`, { token: ada.token })
    ).json();
    expect(after).toMatchObject({
      name: 'Relaunch',
      description: 'New site',
      archived: true,
      version: 2,
    });
    expect((await browser.get(`/admin/projects/${project.id}/?done=saved`)).html).toContain(
      'The project was saved.',
    );

    const blank = await browser.post(`/admin/projects/${project.id}/`, {
      version: '2',
      name: ' ',
      description: '',
      archived: 'false',
    });
    expect(blank.status).toBe(400);
    expect(blank.html).toContain('id="name-errors"');
    const badFlag = await browser.post(`/admin/projects/${project.id}/`, {
      version: '2',
      name: 'Relaunch',
      description: '',
      archived: 'perhaps',
    });
    expect(badFlag.status).toBe(400);
    expect(badFlag.html).toContain('id="archived-errors"');
    const stale = await browser.post(`/admin/projects/${project.id}/`, {
      version: '1',
      name: 'Lost',
      description: '',
      archived: 'false',
    });
    expect(stale.status).toBe(412);
    expect(stale.html).toContain('The project has changed since the version given in If-Match.');
    expect(
      await (await h.request('GET', `/api/projects/${project.id}/`, { token: ada.token })).json(),
    ).toMatchObject({ name: 'Relaunch', archived: true, version: 2 });
  });

  it('adds members by id or username, changes a role and removes a member, as the API would', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const bob = await h.signUp();
    const carol = await h.signUp();
    const project = await newProject(h, ada);
    const base = `/admin/projects/${project.id}`;
    await browser.get(`${base}/`);
    const byId = await browser.post(`${base}/members/`, { user: String(bob.id), role: 'editor' });
    expect(byId.headers.get('Location')).toBe(`${base}/?done=member`);
    await browser.get(`${base}/`);
    await browser.post(`${base}/members/`, { user: carol.username.toUpperCase(), role: 'viewer' });
    expect(await membersOf(h, ada.token, project.id)).toEqual([
      [ada.username, 'owner'],
      [bob.username, 'editor'],
      [carol.username, 'viewer'],
    ]);
    const page = (await browser.get(`${base}/`)).html;
    expect(page).toContain(`<label for="role-${bob.id}">Role of ${bob.username}</label>`);
    expect(page).toMatch(/<option value="editor" selected(="")?>editor<\/option>/);

    await browser.post(`${base}/members/${bob.id}/`, { role: 'owner' });
    await browser.get(`${base}/`);
    await browser.post(`${base}/members/${carol.id}/remove/`);
    expect(await membersOf(h, ada.token, project.id)).toEqual([
      [ada.username, 'owner'],
      [bob.username, 'owner'],
    ]);
    expect((await browser.get(`${base}/?done=removed`)).html).toContain('The member was removed.');
  });

  it('pages through a project’s members by user id', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const project = await newProject(h, ada);
    const prefix = uniqueName('member');
    for (let i = 0; i < 50; i++) {
      const user = await register(h.deps, { username: `${prefix}x${i}`, password: PASSWORD });
      await h.request('PUT', `/api/projects/${project.id}/members/${user.id}/`, {
        token: ada.token,
        json: { role: 'viewer' },
      });
    }
    const first = await browser.get(`/admin/projects/${project.id}/`);
    expect(first.html.match(/Change role/g)).toHaveLength(50);
    const next = /<a rel="next" href="([^"]+)">More members/.exec(first.html)?.[1];
    expect(next).toMatch(new RegExp(`^/admin/projects/${project.id}/\\?cursor=`));
    const second = await browser.get(next as string);
    expect(second.html.match(/Change role/g)).toHaveLength(1);
    expect(second.html).toContain(`Role of ${prefix}x49`);
    expect(second.html).not.toContain('More members');
  });

  it('shows the use cases’ refusals on the project page, and changes nothing', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const project = await newProject(h, ada);
    const base = `/admin/projects/${project.id}`;
    await browser.get(`${base}/`);
    for (const [form, message] of [
      [{ user: '9999', role: 'editor' }, 'Invalid pk &quot;9999&quot; - object does not exist.'],
      [{ user: 'nobody-here', role: 'editor' }, 'Object with username=nobody-here does not exist.'],
      [{ user: '', role: 'editor' }, 'id="user-errors"'],
      [{ user: ada.username, role: 'boss' }, 'id="role-errors"'],
    ] as const) {
      const refused = await browser.post(`${base}/members/`, form);
      expect(refused.status, message).toBe(400);
      expect(refused.html, message).toContain(message);
      // The add form keeps what was typed.
      expect(refused.html, message).toContain(`name="user" type="text" value="${form.user}"`);
    }
    const lastOwner = 'A project must keep at least one owner: make someone else owner first.';
    const demoted = await browser.post(`${base}/members/${ada.id}/`, { role: 'viewer' });
    expect(demoted.status).toBe(409);
    expect(demoted.html).toContain(lastOwner);
    const removed = await browser.post(`${base}/members/${ada.id}/remove/`);
    expect(removed.status).toBe(409);
    expect(removed.html).toContain(lastOwner);
    expect((await browser.post(`${base}/members/9999/remove/`)).status).toBe(404);
    expect(await membersOf(h, ada.token, project.id)).toEqual([[ada.username, 'owner']]);
  });

  it('deletes a project only through its confirmation page, and not while it holds tasks', async () => {
    const h = await harness();
    const { browser } = await signedInStaff(h);
    const ada = await h.signUp();
    const project = await newProject(h, ada, 'Doomed');
    const task = await (
      await h.request('POST', '/api/tasks/', {
        token: ada.token,
        json: { title: 'Inside', project: project.id },
      })
    ).json();
    const confirm = await browser.get(`/admin/projects/${project.id}/delete/`);
    expect(confirm.html).toContain('The project “Doomed” will be deleted for good');
    const refused = await browser.post(`/admin/projects/${project.id}/delete/`, { version: '1' });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('The project still holds tasks: move or delete them first.');
    await h.request('DELETE', `/api/tasks/${task.id}/`, { token: ada.token });

    await browser.get(`/admin/projects/${project.id}/delete/`);
    expect(
      (await browser.post(`/admin/projects/${project.id}/delete/`, { version: '7' })).status,
    ).toBe(412);
    const deleted = await browser.post(`/admin/projects/${project.id}/delete/`, { version: '1' });
    expect(deleted.headers.get('Location')).toBe(`/admin/projects/?deleted=${project.id}`);
    expect(
      (await h.request('GET', `/api/projects/${project.id}/`, { token: ada.token })).status,
    ).toBe(404);
  });
});
