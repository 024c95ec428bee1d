// Security review finding 8: after a user row was deleted by hand, their still-valid access token
// (whose account status a process trusts for up to 10 s) gave 500 on POST /api/tasks/: the
// foreign key on tasks.created_by refused the row. Now it is 401 invalid_token, and a deleted
// assignee is the 400 any unknown assignee gets.
import { describe, expect, it } from 'vitest';
import { entryBy, taskDraft } from '../contracts/tasks.contract.ts';
import { harness } from '../harness.ts';

describe('a deleted account', () => {
  it('gets 401 invalid_token for a write with a token issued before, not 500', async () => {
    const h = await harness();
    const ada = await h.signUp();
    // Seen once, so the process trusts its status for the account-status TTL.
    expect((await h.request('GET', '/api/tasks/', { token: ada.token })).status).toBe(200);
    await h.deleteUser(ada.id);

    const response = await h.request('POST', '/api/tasks/', {
      token: ada.token,
      json: { title: 'orphan' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
    expect(await response.json()).toMatchObject({
      code: 'invalid_token',
      detail: 'User not found or inactive.',
    });
  });

  it('is refused as an assignee with 400, also when deleted after the check', async () => {
    const h = await harness();
    const ada = await h.signUp();
    const bob = await h.signUp();
    const task = await (
      await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'for bob' } })
    ).json();
    await h.deleteUser(bob.id);
    for (const [method, path] of [
      ['POST', '/api/tasks/'],
      ['PATCH', `/api/tasks/${task.id}/`],
    ] as const) {
      const response = await h.request(method, path, {
        token: ada.token,
        json: { title: 'for bob', assigned_to: bob.id },
      });
      expect(response.status, method).toBe(400);
      expect((await response.json()).errors.assigned_to).toEqual([
        `Invalid pk "${bob.id}" - object does not exist.`,
      ]);
    }
    // The repository itself refuses one deleted between the check and the write.
    await expect(
      h.deps.tasks.add(taskDraft(ada.id, { title: 'raced', assignedTo: bob.id }), entryBy(ada.id)),
    ).rejects.toMatchObject({ fields: { assigned_to: expect.any(Array) } });
  });
});
