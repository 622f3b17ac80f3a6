import { DataSource, type DataSourceOptions } from 'typeorm';
import { Client } from 'pg';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  logging?: boolean;
}

/** TypeORM options shared by the apps and the CLI. Schema changes only through migrations. */
export function dataSourceOptions(opts: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: opts.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: opts.logging ? ['error', 'warn', 'migration'] : ['error'],
    extra: { max: opts.poolSize ?? 10 },
  };
}

export function createDataSource(opts: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(opts));
}

/** Applies pending migrations and returns their names. */
export async function runMigrations(opts: DatabaseOptions): Promise<string[]> {
  const ds = createDataSource(opts);
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** Runs `fn` on the server's `postgres` database, for the database named in `url`. */
async function withAdminClient<T>(url: string, fn: (client: Client, name: string) => Promise<T>): Promise<T> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Database name "${name}" must be alphanumeric/underscore`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await fn(client, name);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` when it does not exist (local set-up and tests). */
export function ensureDatabase(url: string): Promise<boolean> {
  return withAdminClient(url, async (client, name) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  });
}

export function dropDatabase(url: string): Promise<void> {
  return withAdminClient(url, async (client, name) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
