import { openOrm } from '../../src/adapters/persistence/mikro-orm/orm.ts';

/** `url` with its database swapped for `database`. */
export function databaseUrl(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

/** Runs one statement (CREATE or DROP DATABASE cannot run in a transaction) on its own connection. */
export async function adminQuery<T extends object = object>(
  url: string,
  sql: string,
): Promise<T[]> {
  const orm = await openOrm(url, { poolSize: 1 });
  try {
    return await orm.em.fork().execute<T[]>(sql);
  } finally {
    await orm.close(true);
  }
}

const quiet = () => {};
export const silentLogger = { warn: quiet, info: quiet };
