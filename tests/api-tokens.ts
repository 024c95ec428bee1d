import type { Harness, Json } from './harness.ts';

/** A personal API token of the user whose session token is `session`, made over HTTP. */
export async function makeApiToken(
  h: Harness,
  session: string,
  body: { name?: string; scopes?: string[]; expires_at?: string | null } = {},
): Promise<{ id: number; secret: string; created: Json }> {
  const response = await h.request('POST', '/api/tokens/', {
    token: session,
    json: { name: 'script', scopes: ['read', 'write'], ...body },
  });
  if (response.status !== 201) throw new Error(`token creation failed: ${response.status}`);
  const created = await response.json();
  return { id: created.id, secret: created.token, created };
}
