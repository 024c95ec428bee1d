import { z } from 'zod';
import type { Rate } from './application/ports/rate-limiter.ts';

export type { Rate };

/** Every missing or malformed setting, one line each: what the process prints before exiting. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.map((problem) => `Invalid configuration: ${problem}`).join('\n'));
    this.problems = problems;
  }
}

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hour: 3600,
  d: 86_400,
  day: 86_400,
};

/** DRF's `N/period` form, with an optional count before the unit: `5/min`, `1000/day`, `5/15min`. */
export function parseRate(text: string): Rate | null {
  const match = /^(\d+)\/(\d*)([a-z]+)$/.exec(text.trim());
  const unit = match && UNIT_SECONDS[match[3] as string];
  if (!match || !unit) return null;
  const points = Number(match[1]);
  const count = match[2] ? Number(match[2]) : 1;
  if (points < 1 || count < 1) return null;
  return { points, durationSeconds: count * unit };
}

/** `15m`, `14d`, `3600s`, `1h`, or a bare number of seconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)\s*([a-z]*)$/.exec(text.trim());
  const unit = match && (match[2] ? UNIT_SECONDS[match[2]] : 1);
  if (!match || !unit || Number(match[1]) < 1) return null;
  return Number(match[1]) * unit;
}

const rate = (example: string) =>
  z.string().transform((text, ctx) => {
    const parsed = parseRate(text);
    if (!parsed) ctx.addIssue({ code: 'custom', message: `must look like "${example}"` });
    return parsed as Rate;
  });

const duration = z.string().transform((text, ctx) => {
  const seconds = parseDuration(text);
  if (!seconds)
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as "15m" or "14d"' });
  return seconds as number;
});

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min)
        .max(max, { error: `must be a whole number from ${min} to ${max}` }),
    );

const origins = z.string().transform((text, ctx) =>
  text
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => {
      if (!/^https?:\/\/[^/\s]+$/.test(origin))
        ctx.addIssue({
          code: 'custom',
          message: `has "${origin}", which is not an origin like https://app.example`,
        });
      return origin;
    }),
);

const hostNames = z.string().transform((text, ctx) =>
  text
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean)
    .map((host) => {
      if (!/^(\*|\.?[a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/.test(host))
        ctx.addIssue({
          code: 'custom',
          message: `has "${host}", which is not a host name like api.example, .example or *`,
        });
      return host;
    }),
);

const publicUrl = z.string().refine(
  (text) => {
    try {
      const { protocol, pathname, search, hash, username } = new URL(text);
      const origin = pathname === '/' && !search && !hash && !username;
      return origin && ['http:', 'https:'].includes(protocol);
    } catch {
      return false;
    }
  },
  { error: 'must be a scheme and host such as https://api.example' },
);

const url = (protocols: string[]) =>
  z.string().refine(
    (text) => {
      try {
        return protocols.includes(new URL(text).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL` },
  );

const Environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65_535).default(8000),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  JWT_SECRET: z
    .string()
    .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be at least 32 bytes' })
    .optional(),
  ACCESS_TOKEN_TTL: duration.default(15 * 60),
  REFRESH_TOKEN_TTL: duration.default(14 * 86_400),
  ADMIN_SESSION_TTL: duration.default(8 * 3600),
  BCRYPT_COST: integer(4, 31).default(12),
  THROTTLE_USER_RATE: rate('300/min').default({ points: 300, durationSeconds: 60 }),
  THROTTLE_ANON_RATE: rate('20/min').default({ points: 20, durationSeconds: 60 }),
  THROTTLE_LOGIN_FAILURES: rate('5/15min').default({ points: 5, durationSeconds: 900 }),
  TRUST_PROXY_HOPS: integer(0, 32).default(0),
  NOTIFIER: z.enum(['lambda', 'in-process']).optional(),
  LAMBDA_FUNCTION_NAME: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).optional(),
  OUTBOX_DISPATCHER: z.enum(['in-process', 'off']).default('in-process'),
  OUTBOX_MAX_ATTEMPTS: integer(1, 100).default(10),
  OUTBOX_RETRY_BASE: duration.default(10),
  OUTBOX_RETRY_MAX: duration.default(20 * 60),
  OUTBOX_POLL_INTERVAL: duration.default(5),
  OUTBOX_CONCURRENCY: integer(1, 100).default(10),
  OUTBOX_LEASE: duration.default(60),
  WEB_CONCURRENCY: integer(1, 64).default(1),
  SHUTDOWN_TIMEOUT: duration.default(10),
  CORS_ORIGINS: origins.default([]),
  PUBLIC_URL: publicUrl.optional(),
  ALLOWED_HOSTS: hostNames.default([]),
  HASH_QUEUE_TIMEOUT: duration.default(10),
  REMINDER_LEAD: duration.default(3600),
  RETENTION_DELIVERED_EVENTS: duration.default(30 * 86_400),
  RETENTION_EXPIRED_TOKENS: duration.default(7 * 86_400),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = ReturnType<typeof toConfig>;

/** Every variable the service reads (the AWS SDK reads its own, e.g. AWS_ENDPOINT_URL_LAMBDA). */
export const CONFIG_VARIABLES = Object.keys(Environment.shape);

function toConfig(env: z.infer<typeof Environment>) {
  return {
    nodeEnv: env.NODE_ENV,
    production: env.NODE_ENV === 'production',
    host: env.HOST,
    port: env.PORT,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    jwtSecret: env.JWT_SECRET,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL,
    adminSessionTtlSeconds: env.ADMIN_SESSION_TTL,
    bcryptCost: env.BCRYPT_COST,
    throttle: {
      user: env.THROTTLE_USER_RATE,
      anonymous: env.THROTTLE_ANON_RATE,
      loginFailures: env.THROTTLE_LOGIN_FAILURES,
    },
    trustProxyHops: env.TRUST_PROXY_HOPS,
    /** Unset: the Lambda function when one is named, else its code in this process. */
    notifier: env.NOTIFIER ?? (env.LAMBDA_FUNCTION_NAME ? 'lambda' : 'in-process'),
    lambda: { functionName: env.LAMBDA_FUNCTION_NAME, region: env.AWS_REGION },
    outbox: {
      /** `off` when `npm run dispatcher` runs elsewhere against the same database. */
      dispatcher: env.OUTBOX_DISPATCHER,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: env.OUTBOX_RETRY_BASE * 1000,
      retryMaxMs: env.OUTBOX_RETRY_MAX * 1000,
      pollIntervalMs: env.OUTBOX_POLL_INTERVAL * 1000,
      concurrency: env.OUTBOX_CONCURRENCY,
      leaseMs: env.OUTBOX_LEASE * 1000,
    },
    webConcurrency: env.WEB_CONCURRENCY,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT * 1000,
    corsOrigins: env.CORS_ORIGINS,
    /** The scheme and host of absolute links; unset: the request's, as trusted proxies tell it. */
    publicUrl: env.PUBLIC_URL && new URL(env.PUBLIC_URL).origin,
    /** Host names the service answers for; empty: any. */
    allowedHosts: env.ALLOWED_HOSTS,
    hashQueueTimeoutMs: env.HASH_QUEUE_TIMEOUT * 1000,
    /** How long before a task's due date its assignee is reminded. */
    reminderLeadMs: env.REMINDER_LEAD * 1000,
    retention: {
      deliveredEventsMs: env.RETENTION_DELIVERED_EVENTS * 1000,
      expiredTokensMs: env.RETENTION_EXPIRED_TOKENS * 1000,
    },
    logLevel: env.LOG_LEVEL,
  };
}

type Environment = z.infer<typeof Environment>;

/** Settings that hold together: each rule says what is wrong, reading only variables that parsed. */
interface Rule {
  reads: (keyof Environment)[];
  problem: (env: Environment) => string | false;
}

const requiredInProduction = (variable: 'JWT_SECRET' | 'DATABASE_URL'): Rule => ({
  reads: ['NODE_ENV', variable],
  problem: (env) =>
    env.NODE_ENV === 'production' &&
    !env[variable] &&
    `${variable} must be set when NODE_ENV=production.`,
});

const RULES: Rule[] = [
  requiredInProduction('JWT_SECRET'),
  requiredInProduction('DATABASE_URL'),
  {
    // Production must say where notifications go: falling back to the code in process would
    // quietly keep them from AWS.
    reads: ['NODE_ENV', 'NOTIFIER', 'LAMBDA_FUNCTION_NAME'],
    problem: (env) =>
      env.NODE_ENV === 'production' &&
      !env.NOTIFIER &&
      !env.LAMBDA_FUNCTION_NAME &&
      'LAMBDA_FUNCTION_NAME (the function to invoke) or NOTIFIER=in-process must be set when NODE_ENV=production.',
  },
  {
    reads: ['NOTIFIER', 'LAMBDA_FUNCTION_NAME'],
    problem: (env) =>
      env.NOTIFIER === 'lambda' &&
      !env.LAMBDA_FUNCTION_NAME &&
      'LAMBDA_FUNCTION_NAME must be set when NOTIFIER=lambda.',
  },
  {
    reads: ['OUTBOX_RETRY_BASE', 'OUTBOX_RETRY_MAX'],
    problem: (env) =>
      env.OUTBOX_RETRY_MAX < env.OUTBOX_RETRY_BASE &&
      'OUTBOX_RETRY_MAX must not be shorter than OUTBOX_RETRY_BASE.',
  },
];

/**
 * What a problem line may show of a value: never a secret (only its length), never a URL's
 * credentials. Names decide, so variables added later are covered too.
 */
function shown(variable: string, value: string): string {
  if (/(SECRET|PASSWORD|TOKEN|KEY|CREDENTIALS?)$/.test(variable))
    return `${Buffer.byteLength(value)} bytes`;
  // Everything up to the last "@" may be credentials, even in text that is not a valid URL.
  if (/_URLS?$/.test(variable)) return `"${value.replace(/^([a-z][\w+.-]*:\/\/)?.*@/is, '$1…@')}"`;
  return `"${value}"`;
}

function problemOf(variable: string, issue: z.core.$ZodIssue, value: string | undefined): string {
  const hint =
    issue.code === 'invalid_value' ? `must be one of ${issue.values.join(', ')}` : issue.message;
  return `${variable} ${hint}${value === undefined ? '' : ` (got ${shown(variable, value)})`}.`;
}

/** Reads the environment; throws a ConfigError naming every missing or malformed variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as docker compose writes `FOO=` for unset values.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed: Record<string, unknown> = {};
  const failed = new Set<string>();
  const problems: string[] = [];
  for (const [variable, schema] of Object.entries(Environment.shape)) {
    const result = schema.safeParse(present[variable]);
    if (result.success) parsed[variable] = result.data;
    else {
      failed.add(variable);
      problems.push(
        problemOf(variable, result.error.issues[0] as z.core.$ZodIssue, present[variable]),
      );
    }
  }
  const valid = parsed as Environment;
  for (const rule of RULES) {
    const problem = rule.reads.some((variable) => failed.has(variable))
      ? false
      : rule.problem(valid);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(valid);
}
