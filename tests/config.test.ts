import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration, parseRate } from '../src/config.ts';

describe('parseRate', () => {
  it.each([
    ['300/min', { points: 300, durationSeconds: 60 }],
    ['20/m', { points: 20, durationSeconds: 60 }],
    ['1000/day', { points: 1000, durationSeconds: 86_400 }],
    ['5/15min', { points: 5, durationSeconds: 900 }],
    ['10/s', { points: 10, durationSeconds: 1 }],
    ['2/3hour', { points: 2, durationSeconds: 10_800 }],
  ])('reads %s', (text, rate) => {
    expect(parseRate(text)).toEqual(rate);
  });

  it.each([
    '',
    '300',
    '/min',
    '300/',
    '300/fortnight',
    '0/min',
    '5/0min',
    '-5/min',
    '5 / min',
    'x/min',
  ])('refuses %j', (text) => {
    expect(parseRate(text)).toBeNull();
  });
});

describe('parseDuration', () => {
  it('reads units and bare seconds', () => {
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('14d')).toBe(1_209_600);
    expect(parseDuration('3600')).toBe(3600);
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('0s')).toBeNull();
    expect(parseDuration('soon')).toBeNull();
  });
});

describe('loadConfig', () => {
  it('has the contract defaults', () => {
    expect(loadConfig({})).toMatchObject({
      host: '0.0.0.0',
      port: 8000,
      notifier: 'in-process',
      production: false,
      databaseUrl: undefined,
      redisUrl: undefined,
      jwtSecret: undefined,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 1_209_600,
      bcryptCost: 12,
      throttle: {
        user: { points: 300, durationSeconds: 60 },
        anonymous: { points: 20, durationSeconds: 60 },
        loginFailures: { points: 5, durationSeconds: 900 },
      },
      trustProxyHops: 0,
      corsOrigins: [],
      logLevel: 'info',
      dataDir: '.data',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' })).toMatchObject({
      port: 8000,
      redisUrl: undefined,
    });
  });

  it('reads every setting', () => {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '9000',
      DATABASE_URL: 'postgres://u:p@db:5432/tasks',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: 'x'.repeat(32),
      ACCESS_TOKEN_TTL: '5m',
      REFRESH_TOKEN_TTL: '1d',
      BCRYPT_COST: '10',
      THROTTLE_USER_RATE: '1000/day',
      TRUST_PROXY_HOPS: '1',
      LAMBDA_FUNCTION_NAME: 'task-completed',
      AWS_REGION: 'eu-west-1',
      CORS_ORIGINS: 'https://a.example, http://localhost:3000',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 9000,
      notifier: 'lambda',
      databaseUrl: 'postgres://u:p@db:5432/tasks',
      redisUrl: 'redis://cache:6379',
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 86_400,
      bcryptCost: 10,
      throttle: { user: { points: 1000, durationSeconds: 86_400 } },
      trustProxyHops: 1,
      lambda: { functionName: 'task-completed', region: 'eu-west-1' },
      corsOrigins: ['https://a.example', 'http://localhost:3000'],
      logLevel: 'debug',
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://db/tasks'],
    ['REDIS_URL', 'localhost:6379'],
    ['ACCESS_TOKEN_TTL', 'forever'],
    ['BCRYPT_COST', '3'],
    ['BCRYPT_COST', '12.5'],
    ['THROTTLE_USER_RATE', '300'],
    ['THROTTLE_ANON_RATE', 'lots/min'],
    ['THROTTLE_LOGIN_FAILURES', '5/fortnight'],
    ['TRUST_PROXY_HOPS', '-1'],
    ['CORS_ORIGINS', 'app.example'],
    ['LOG_LEVEL', 'verbose'],
    ['NODE_ENV', 'staging'],
    ['NOTIFIER', 'sqs'],
    ['WEB_CONCURRENCY', '0'],
    ['SHUTDOWN_TIMEOUT', 'later'],
  ])('stops on a malformed %s with one line naming it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(
        new RegExp(`^Invalid configuration: ${variable} .*\\(got "${value}"\\)\\.$`),
      );
      expect(message).not.toContain('\n');
    }
  });

  it('refuses to run in production without JWT_SECRET, DATABASE_URL and a notifier, all at once', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      [
        'Invalid configuration: JWT_SECRET must be set when NODE_ENV=production.',
        'Invalid configuration: DATABASE_URL must be set when NODE_ENV=production.',
        'Invalid configuration: LAMBDA_FUNCTION_NAME (the function to invoke) or NOTIFIER=in-process must be set when NODE_ENV=production.',
      ].join('\n'),
    );
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    const database = { DATABASE_URL: 'postgres://db/tasks' };
    expect(loadConfig({ ...production, ...database, LAMBDA_FUNCTION_NAME: 'f' })).toMatchObject({
      production: true,
      notifier: 'lambda',
    });
    expect(loadConfig({ ...production, ...database, NOTIFIER: 'in-process' })).toMatchObject({
      production: true,
      notifier: 'in-process',
    });
  });

  it('picks the notifier NOTIFIER names, and needs a function for lambda', () => {
    expect(loadConfig({ NOTIFIER: 'in-process', LAMBDA_FUNCTION_NAME: 'f' }).notifier).toBe(
      'in-process',
    );
    expect(() => loadConfig({ NOTIFIER: 'lambda' })).toThrow(
      'Invalid configuration: LAMBDA_FUNCTION_NAME must be set when NOTIFIER=lambda.',
    );
  });

  it('reports every bad setting at once, one line each, never a secret or credentials', () => {
    const error = (() => {
      try {
        loadConfig({
          NODE_ENV: 'production',
          PORT: 'eighty',
          JWT_SECRET: 's3cret-'.padEnd(31, 'x'),
          DATABASE_URL: 'mysql://tasks:hunter2@db:5432/tasks',
          // Not even a URL, and a password with a slash: still nothing before the "@" shows.
          REDIS_URL: 'default:pa/ss@word@cache:6379',
          OUTBOX_RETRY_BASE: '1h',
          OUTBOX_RETRY_MAX: '10m',
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.split('\n')).toEqual([
      'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "eighty").',
      'Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://…@db:5432/tasks").',
      'Invalid configuration: REDIS_URL must be a redis:// or rediss:// URL (got "…@cache:6379").',
      'Invalid configuration: JWT_SECRET must be at least 32 bytes (got 31 bytes).',
      'Invalid configuration: LAMBDA_FUNCTION_NAME (the function to invoke) or NOTIFIER=in-process must be set when NODE_ENV=production.',
      'Invalid configuration: OUTBOX_RETRY_MAX must not be shorter than OUTBOX_RETRY_BASE.',
    ]);
    expect((error as ConfigError).message).not.toMatch(/s3cret|hunter2|pa\/ss|word/);
  });
});

describe('loadConfig: notification outbox', () => {
  it('runs the dispatcher in process with about ten attempts over about an hour by default', () => {
    expect(loadConfig({}).outbox).toEqual({
      dispatcher: 'in-process',
      maxAttempts: 10,
      retryBaseMs: 10_000,
      retryMaxMs: 1_200_000,
      pollIntervalMs: 5_000,
      concurrency: 10,
      leaseMs: 60_000,
    });
  });

  it('reads every outbox setting', () => {
    const config = loadConfig({
      OUTBOX_DISPATCHER: 'off',
      OUTBOX_MAX_ATTEMPTS: '5',
      OUTBOX_RETRY_BASE: '30s',
      OUTBOX_RETRY_MAX: '2h',
      OUTBOX_POLL_INTERVAL: '1m',
      OUTBOX_CONCURRENCY: '32',
      OUTBOX_LEASE: '2m',
    });
    expect(config.outbox).toEqual({
      dispatcher: 'off',
      maxAttempts: 5,
      retryBaseMs: 30_000,
      retryMaxMs: 7_200_000,
      pollIntervalMs: 60_000,
      concurrency: 32,
      leaseMs: 120_000,
    });
  });

  it.each([
    ['OUTBOX_DISPATCHER', 'separate'],
    ['OUTBOX_MAX_ATTEMPTS', '0'],
    ['OUTBOX_MAX_ATTEMPTS', '101'],
    ['OUTBOX_RETRY_BASE', 'soon'],
    ['OUTBOX_RETRY_MAX', '0s'],
    ['OUTBOX_POLL_INTERVAL', '-5'],
    ['OUTBOX_CONCURRENCY', '0'],
    ['OUTBOX_LEASE', '1.5s'],
  ])('stops on a malformed %s with one line naming it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(
      new RegExp(`^Invalid configuration: ${variable} .*\\(got "${value}"\\)\\.$`),
    );
  });

  it('refuses a retry cap below the first delay', () => {
    expect(() => loadConfig({ OUTBOX_RETRY_BASE: '1h', OUTBOX_RETRY_MAX: '10m' })).toThrow(
      'Invalid configuration: OUTBOX_RETRY_MAX must not be shorter than OUTBOX_RETRY_BASE.',
    );
  });
});

describe('loadConfig: the security review’s settings', () => {
  it('has the contract defaults', () => {
    expect(loadConfig({})).toMatchObject({
      publicUrl: undefined,
      allowedHosts: [],
      hashQueueTimeoutMs: 10_000,
      retention: { deliveredEventsMs: 30 * 86_400_000, expiredTokensMs: 7 * 86_400_000 },
    });
  });

  it('reads every one', () => {
    expect(
      loadConfig({
        PUBLIC_URL: 'https://api.example:8443/',
        ALLOWED_HOSTS: 'api.example, .Tasks.example,*,[::1]',
        HASH_QUEUE_TIMEOUT: '3s',
        RETENTION_DELIVERED_EVENTS: '90d',
        RETENTION_EXPIRED_TOKENS: '1d',
      }),
    ).toMatchObject({
      publicUrl: 'https://api.example:8443',
      allowedHosts: ['api.example', '.tasks.example', '*', '[::1]'],
      hashQueueTimeoutMs: 3000,
      retention: { deliveredEventsMs: 90 * 86_400_000, expiredTokensMs: 86_400_000 },
    });
  });

  it.each([
    ['PUBLIC_URL', 'api.example'],
    ['PUBLIC_URL', 'https://api.example/tasks'],
    ['PUBLIC_URL', 'ftp://api.example'],
    ['ALLOWED_HOSTS', 'api.example/x'],
    ['ALLOWED_HOSTS', 'http://api.example'],
    ['HASH_QUEUE_TIMEOUT', 'soon'],
    ['RETENTION_DELIVERED_EVENTS', '0d'],
    ['RETENTION_EXPIRED_TOKENS', 'forever'],
  ])('stops on a malformed %s, naming it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(
      new RegExp(`^Invalid configuration: ${variable} `),
    );
  });
});
