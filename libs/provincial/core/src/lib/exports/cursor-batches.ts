import type { DataSource } from 'typeorm';

let cursors = 0;

/**
 * Rows of one query, `size` at a time, through a server-side cursor: one sort in the database,
 * a batch in memory at a time (what a 300,000-row export needs). Holds one connection until the
 * last batch is read or the consumer stops.
 */
export async function* cursorBatches<T>(ds: DataSource, sql: string, params: unknown[], size = 5000): AsyncGenerator<T[]> {
  const runner = ds.createQueryRunner();
  const name = `kaowu_export_${++cursors}`;
  await runner.connect();
  let open = false;
  try {
    await runner.query('BEGIN READ ONLY');
    open = true;
    // Plan for reading every row (the default plans a cursor for its first tenth: nested loops over 300,000 seats).
    await runner.query('SET LOCAL cursor_tuple_fraction = 1.0');
    await runner.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const rows: T[] = await runner.query(`FETCH ${Math.trunc(size)} FROM ${name}`);
      if (rows.length === 0) break;
      yield rows;
    }
    await runner.query('COMMIT');
    open = false;
  } finally {
    // A failure, or the consumer stopped early (a broken download): end the transaction before the connection goes back.
    if (open) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}
