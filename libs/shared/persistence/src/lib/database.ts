import { mkdirSync } from 'node:fs';
import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { Client } from 'pg';

/**
 * One factory for both servers' storage: `url` set → that PostgreSQL; unset → an embedded
 * PostgreSQL (PGlite) persisted under `embeddedDir`, served over a loopback socket so the very
 * same `pg` driver and migrations run on both.
 */
export interface DatabaseOptions {
  url?: string;
  embeddedDir: string;
  // TypeORM's own option types
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type, @typescript-eslint/no-explicit-any
  entities: MixedList<Function | string | EntitySchema<any>>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /** Run pending migrations on open (default true). */
  migrate?: boolean;
}

export interface Database {
  readonly dataSource: DataSource;
  readonly kind: 'postgres' | 'embedded';
  /** Where the data lives, for logs and /health (no password). */
  readonly location: string;
  close(): Promise<void>;
}

interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

async function startEmbedded(dir: string): Promise<EmbeddedServer> {
  mkdirSync(dir, { recursive: true });
  // Dynamic import: PGlite is ESM with a WASM payload; load it only when asked for.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  const conn = server.getServerConn(); // "127.0.0.1:PORT"
  const port = Number(conn.split(':').pop());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`embedded database did not report a port (${conn})`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const embedded = options.url ? undefined : await startEmbedded(options.embeddedDir);
  const url = options.url ?? embedded!.url;
  const config: DataSourceOptions = {
    type: 'postgres',
    url,
    entities: options.entities,
    migrations: options.migrations,
    synchronize: false,
    migrationsTransactionMode: 'each',
    // PGlite is one backend session: one pooled connection keeps transactions from interleaving.
    extra: { max: embedded ? 1 : (options.poolSize ?? 10) },
    // failures surface as exceptions and are logged by the caller, in JSON
    logging: false,
  };
  const dataSource = new DataSource(config);
  try {
    await dataSource.initialize();
    if (options.migrate !== false) await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
  return {
    dataSource,
    kind: embedded ? 'embedded' : 'postgres',
    location: embedded ? `embedded:${options.embeddedDir}` : redactUrl(url),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/**
 * A throwaway database on the server named by `baseUrl` (tests, mock exams): created now,
 * dropped by `drop()`. Names carry a prefix and a random suffix so parallel runs never collide.
 */
export async function createScratchDatabase(baseUrl: string, prefix: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Rows of an `UPDATE … RETURNING` / `DELETE … RETURNING` through TypeORM's `query()`, which
 * answers those with `[rows, affectedCount]` instead of the rows alone.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
