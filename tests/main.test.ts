import { afterEach, expect, it } from 'vitest';
import { runToExit, type ServiceProcess, startService } from './service-process.ts';

let service: ServiceProcess | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

it('starts on its defaults, serves the API and stops cleanly on SIGTERM', async () => {
  service = await startService({ BCRYPT_COST: '4' });
  const register = await fetch(`${service.url}/register/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'ada', password: 'correct horse battery' }),
  });
  expect(register.status).toBe(201);
  const token = await fetch(`${service.url}/api/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'ada', password: 'correct horse battery' }),
  });
  expect(token.status).toBe(200);
  expect(await service.stop()).toBe(0);
  expect(JSON.stringify(service.logs)).not.toContain('correct horse battery');
});

it('stops at start with one line naming a malformed setting', async () => {
  const { code, stderr, stdout } = await runToExit({ THROTTLE_ANON_RATE: '20/fortnight' });
  expect(code).toBe(1);
  expect(stderr.trim()).toBe(
    'Invalid configuration: THROTTLE_ANON_RATE must look like "20/min" (got "20/fortnight").',
  );
  expect(stdout).toBe('');
});
