/**
 * 审计日志校验: re-derive the hash chain of a server's audit log (province or venue) and report every
 * row that was edited, inserted or deleted since it was written.
 *
 *   npm run -s audit:verify -- [--server province|venue] [--data-dir var/provincial] [--json]
 * DATABASE_URL set → that database; otherwise the embedded one under --data-dir.
 * Exit code 0: the chain is whole; 1: it is broken (the report names the rows); 2: bad arguments.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initCrypto } from '@kaowu/crypto';
import { openDatabase } from '@kaowu/persistence';
import { verifyAuditTable } from '@kaowu/server-kit';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'province' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main() {
  await initCrypto();
  const server = values.server;
  if (server !== 'province' && server !== 'venue') fail('--server must be province or venue');
  const dataDir = values['data-dir'] ?? (server === 'province' ? 'var/provincial' : 'var/venue');
  const url = process.env['DATABASE_URL'];
  if (!url && !existsSync(join(dataDir, 'pgdata'))) fail(`no embedded database under ${dataDir}/pgdata (set --data-dir or DATABASE_URL)`);
  const db = await openDatabase({ url, embeddedDir: join(dataDir, 'pgdata'), entities: [], migrations: [] });
  try {
    const tty = process.stdout.isTTY && !values.json;
    const report = await verifyAuditTable(db.dataSource, tty ? (n) => process.stdout.write(`\r 校验审计日志 verifying … ${n} 条 rows`) : undefined);
    if (tty) process.stdout.write('\n');
    if (values.json) console.log(JSON.stringify({ server, database: db.location, ...report }));
    else if (report.ok) console.log(`审计日志完整 audit chain intact: ${report.rows} 条记录 rows, head ${report.head}`);
    else {
      console.log(`审计日志被改动 audit chain BROKEN: ${report.breaks.length} 处问题 problems in ${report.rows} rows`);
      for (const b of report.breaks) console.log(`  #${b.id} ${b.problem}: ${b.message}`);
    }
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
