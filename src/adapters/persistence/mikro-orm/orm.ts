import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type Orm = MikroORM;

export interface OrmOptions {
  /** Connections in the pool; PostgreSQL's own limit is shared by every instance. */
  poolSize?: number;
  /** Where MikroORM's warnings go (a dropped connection, for one); never given SQL. */
  warn?: (message: string) => void;
}

export function openOrm(url: string, options: OrmOptions = {}): Promise<Orm> {
  return MikroORM.init({
    clientUrl: url,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: {
      migrationsList: MIGRATIONS,
      snapshot: false,
      snapshotOnMigrate: false,
      silent: true,
    },
    pool: { max: options.poolSize ?? 10 },
    driverOptions: {
      // An unanswering server fails a request (503) instead of holding it forever, and the
      // keepalive finds a connection that died quietly, the LISTEN one included.
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      // Instants then reach the service as UTC whatever the server's own zone, whose historical
      // offsets in seconds (a 0001 due date in Amsterdam's) no ISO 8601 parser reads.
      options: '-c TimeZone=UTC',
    },
    // The database must exist already: the service never creates one behind the operator's back.
    ensureDatabase: false,
    // Domain objects stay plain: no accessors installed on their prototypes.
    propagationOnPrototype: false,
    logger: options.warn ?? (() => {}),
    colors: false,
  });
}
