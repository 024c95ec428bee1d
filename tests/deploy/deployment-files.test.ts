import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const compose = parse(read('docker-compose.yml'));
const dockerfile = read('Dockerfile');
const packageJson = JSON.parse(read('package.json'));

/** The AWS SDK reads these itself; the service's own config does not. */
const SDK_VARIABLES = ['AWS_ENDPOINT_URL_LAMBDA', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

/** Dockerfile instructions of one stage, continuation lines joined. */
function stage(name: string): string[] {
  const lines = dockerfile.replace(/\\\n\s*/g, ' ').split('\n');
  const start = lines.findIndex((line) => new RegExp(`^FROM .* AS ${name}$`).test(line));
  const end = lines.findIndex((line, i) => i > start && line.startsWith('FROM '));
  return lines.slice(start, end === -1 ? undefined : end).filter((line) => /^[A-Z]/.test(line));
}

describe('docker-compose.yml', () => {
  it('runs the api, PostgreSQL 18, Redis and the notifier function', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'db', 'notifier', 'redis']);
    expect(compose.services.db.image).toBe('postgres:18');
    expect(compose.services.redis.image).toMatch(/^redis:(7|8)$/);
    expect(compose.services.api.build).toEqual({ context: '.', target: 'api' });
    expect(compose.services.notifier.build).toEqual({ context: '.', target: 'notifier' });
    expect(compose.services.api.ports).toEqual(['8000:8000']);
  });

  it('gives the database a named volume and every dependency a health check the api waits for', () => {
    expect(compose.services.db.volumes).toEqual(['pgdata:/var/lib/postgresql']);
    expect(Object.keys(compose.volumes)).toEqual(['pgdata']);
    expect(compose.services.db.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(compose.services.redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(compose.services.api.depends_on).toEqual({
      db: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      notifier: { condition: 'service_started' },
    });
  });

  it('sets only variables the service or the AWS SDK reads', () => {
    for (const variable of Object.keys(compose.services.api.environment))
      expect([...CONFIG_VARIABLES, ...SDK_VARIABLES], variable).toContain(variable);
  });

  it('points the api at the services it starts, with secrets from .env only', () => {
    const env = compose.services.api.environment;
    expect(env.DATABASE_URL).toBe(
      'postgres://tasks:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db:5432/tasks',
    );
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.AWS_ENDPOINT_URL_LAMBDA).toBe('http://notifier:8080');
    expect(env.LAMBDA_FUNCTION_NAME).toBe('function');
    expect(env.JWT_SECRET).toBe('${JWT_SECRET:?set JWT_SECRET in .env}');
    const example = read('.env.example');
    for (const secret of ['JWT_SECRET', 'POSTGRES_PASSWORD'])
      expect(example).toMatch(new RegExp(`^${secret}=$`, 'm'));
  });

  it('documents in .env.example only variables compose passes on or the service reads', () => {
    const named = [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(2);
    for (const variable of named)
      expect(read('docker-compose.yml'), variable).toContain(`\${${variable}`);
  });
});

describe('Dockerfile', () => {
  it('builds on Node 24 and bundles the service and the function', () => {
    expect(stage('build')[0]).toMatch(/^FROM node:24(-[a-z]+)* AS build$/);
    expect(stage('build')).toContain('RUN npm ci');
    expect(stage('build')).toContain('RUN npm run build && npm run lambda:package');
    expect(stage('notifier')).toEqual([
      'FROM public.ecr.aws/lambda/nodejs:24 AS notifier',
      'COPY --from=build /app/lambda/dist/index.mjs ${LAMBDA_TASK_ROOT}/',
      'CMD ["index.handler"]',
    ]);
  });

  it('runs production dependencies only, as a non-root user, with a health check and SIGTERM', () => {
    const api = stage('api');
    expect(api[0]).toMatch(/^FROM node:24(-[a-z]+)* AS api$/);
    expect(api).toContain('ENV NODE_ENV=production');
    expect(api.some((line) => /^RUN npm ci --omit=dev/.test(line))).toBe(true);
    expect(api).toContain('USER node');
    expect(api.find((line) => line.startsWith('HEALTHCHECK'))).toContain('/healthz');
    expect(api).toContain('STOPSIGNAL SIGTERM');
    expect(api).toContain('EXPOSE 8000');
  });

  it('runs the same command as npm run start:prod, which the tests run', () => {
    const cmd = JSON.parse((stage('api').find((line) => line.startsWith('CMD ')) ?? '').slice(4));
    // `exec`, so that npm's own child is node, to which npm passes SIGTERM and SIGINT on.
    expect(packageJson.scripts['start:prod']).toBe(`NODE_ENV=production exec ${cmd.join(' ')}`);
  });

  it('keeps local state and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const path of ['.env', '.data', 'node_modules', 'dist']) expect(ignored).toContain(path);
  });
});
