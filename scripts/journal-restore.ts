/**
 * 从加密备份恢复作答: rebuild the venue database's answers from the encrypted backup journal.
 * Needs the province's key file (the venue cannot read its own backup) and the venue's public
 * signing key (from its key file), and a venue database where the package was re-imported.
 *
 *   npm run journal:restore -- --backup-dir var/venue-backup \
 *     --province-keyfile var/provincial/keys/province.key.json [--passphrase-file F] \
 *     --venue-keyfile var/venue/keys/venue-V001.key.json [--venue-data-dir var/venue] [--verify-only] [--json]
 * DATABASE_URL set → that venue database; otherwise the embedded one under --venue-data-dir.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { ProtectedKeyFile, initCrypto, unlockPartyKeys } from '@kaowu/crypto';
import { openDatabase } from '@kaowu/persistence';
import { BackupRecord, openBackupSegment, readBackupDir, restoreAnswers, venueMigrations } from '@kaowu/venue-core';

const { values } = parseArgs({
  options: {
    'backup-dir': { type: 'string', default: 'var/venue-backup' },
    'province-keyfile': { type: 'string' },
    'passphrase-file': { type: 'string' },
    'venue-keyfile': { type: 'string' },
    'venue-data-dir': { type: 'string', default: 'var/venue' },
    'verify-only': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main() {
  await initCrypto();
  const provinceFile = values['province-keyfile'] ?? fail('--province-keyfile is required: the backup is sealed to the province');
  const venueFile = values['venue-keyfile'] ?? fail('--venue-keyfile is required: its public signing key checks the segment heads');
  const passphrase = values['passphrase-file']
    ? readFileSync(values['passphrase-file'], 'utf8').trim()
    : (process.env['KEY_PASSPHRASE'] ?? readFileSync(provinceFile.replace(/\.key\.json$/, '.passphrase'), 'utf8').trim());
  const province = unlockPartyKeys(JSON.parse(readFileSync(provinceFile, 'utf8')) as ProtectedKeyFile, passphrase);
  const venueSigning = (JSON.parse(readFileSync(venueFile, 'utf8')) as ProtectedKeyFile).signingPublicKey;

  const segments = readBackupDir(values['backup-dir']!);
  if (segments.length === 0) fail(`no backup segments (*.kwj) in ${values['backup-dir']}`);
  const bar = process.stdout.isTTY && !values.json ? new SingleBar({ format: ' 解密校验 |{bar}| {value}/{total} 段 segments' }, Presets.shades_classic) : undefined;
  bar?.start(segments.length, 0);
  const records: BackupRecord[] = [];
  const problems: string[] = [];
  for (const s of segments) {
    try {
      records.push(...openBackupSegment(s, province, venueSigning));
      if (s.tornTail) problems.push(`${s.file}: last line cut by a crash (its batch was never acknowledged)`);
    } catch (error) {
      problems.push(`${s.file}: ${(error as Error).message}`);
    }
    bar?.increment();
  }
  bar?.stop();

  let restore = undefined;
  if (!values['verify-only']) {
    const db = await openDatabase({ url: process.env['DATABASE_URL'], embeddedDir: join(values['venue-data-dir']!, 'pgdata'), entities: [], migrations: venueMigrations });
    try {
      const candidates: { n: string }[] = await db.dataSource.query('SELECT count(*) AS n FROM candidate');
      if (Number(candidates[0].n) === 0) fail('the venue database has no roster: re-import the venue package first (POST /api/v1/packages/pull), then restore');
      restore = await restoreAnswers(db.dataSource, records);
    } finally {
      await db.close();
    }
  }
  const report = { segments: segments.length, records: records.length, problems, ...(restore ?? {}) };
  if (!values.json) {
    console.log(`备份段 segments ${report.segments}, 记录 records ${report.records}${restore ? `, 恢复 restored ${restore.eventsRestored}, 已存在 already present ${restore.eventsAlreadyPresent}` : ''}`);
    for (const p of problems) console.log(`  ! ${p}`);
  }
  console.log(JSON.stringify(report));
  process.exit(problems.some((p) => !p.includes('never acknowledged')) ? 1 : 0);
}

main().catch((error: Error) => fail(`restore failed: ${error.message}`));
