// User enumeration through log-in (OWASP API2:2023): an unknown username, a wrong password and an
// inactive account get the same status and body, after the same bcrypt work at the production
// cost, so neither the answer nor its timing says which usernames exist.
import { expect, it } from 'vitest';
import { bcryptPasswordHasher } from '../../src/adapters/bcrypt-password-hasher.ts';
import { type Harness, harness, PASSWORD } from '../harness.ts';

const PRODUCTION_COST = 12;
const SAMPLES = 4;
/** bcrypt of PASSWORD at cost 12, made once: accounts as they are stored in production. */
const PASSWORD_HASH = '$2b$12$4C19D0mZ3u39/CQr9oJcs.wyXMHlSA2.66ayfGREA1j36bnE6tTdq';

async function timedLogin(h: Harness, username: string, password: string) {
  const started = performance.now();
  const response = await h.request('POST', '/api/token/', { json: { username, password } });
  const ms = performance.now() - started;
  return { ms, status: response.status, body: await response.text() };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2
  );
};

it('gives unknown users, wrong passwords and inactive accounts one answer, the first two in comparable time', async () => {
  const h = await harness();
  h.deps.hasher = bcryptPasswordHasher(PRODUCTION_COST);
  const account = (username: string, isActive: boolean) =>
    h.deps.users.add({
      username,
      email: '',
      passwordHash: PASSWORD_HASH,
      isStaff: false,
      isActive,
      dateJoined: h.clock.now(),
    });
  const ada = await account('ada', true);
  const bob = await account('bob', false);
  expect(await h.deps.hasher.verify(PASSWORD, PASSWORD_HASH)).toBe(true);

  const attempts = {
    unknown: () => timedLogin(h, 'nobody-by-this-name', PASSWORD),
    wrongPassword: () => timedLogin(h, ada.username, 'not the password'),
  };
  const times: Record<keyof typeof attempts, number[]> = { unknown: [], wrongPassword: [] };
  const answers = new Set([(await timedLogin(h, bob.username, PASSWORD)).body]);
  // Interleaved, so that load from other test files falls on both kinds alike.
  for (let i = 0; i < SAMPLES; i++)
    for (const [kind, attempt] of Object.entries(attempts)) {
      const { ms, status, body } = await attempt();
      expect(status).toBe(400);
      times[kind as keyof typeof attempts].push(ms);
      answers.add(body);
    }

  expect([...answers]).toEqual([
    JSON.stringify({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Unable to log in with provided credentials.',
      code: 'invalid_credentials',
      errors: { non_field_errors: ['Unable to log in with provided credentials.'] },
    }),
  ]);
  const unknown = median(times.unknown);
  const known = median(times.wrongPassword);
  console.info(
    `log-in timing at bcrypt cost ${PRODUCTION_COST}, median of ${SAMPLES}: unknown user ${unknown.toFixed(0)} ms, wrong password ${known.toFixed(0)} ms`,
  );
  // Without the dummy hash an unknown user answers in about a millisecond, a hundred times
  // faster than a wrong password; a factor of two leaves room for a busy machine.
  expect(known).toBeGreaterThan(20);
  expect(unknown / known).toBeGreaterThan(0.5);
  expect(unknown / known).toBeLessThan(2);
}, 60_000);
