import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto } from '@kaowu/crypto';
import { runSitting } from '@kaowu/testing';

/** A whole sitting on real servers, databases and sockets (embedded, or DATABASE_URL when set). */
describe('a whole exam sitting', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-sitting-'));
  beforeAll(() => initCrypto());
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('lands every acknowledged answer at the province with a verified receipt per room', async () => {
    const report = await runSitting({ candidates: 40, speed: 120, durationMinutes: 20, workDir, databaseUrl: process.env.DATABASE_URL, seed: 11 });
    expect(report.database).toBe(process.env.DATABASE_URL ? 'postgres' : 'embedded');
    expect(report.rooms).toBe(2);
    expect(report.answersAcked).toBeGreaterThan(report.present * 15);
    expect(report.answersAcked).toBe(report.answersSent);
    expect(report.answersAtVenue).toBe(report.answersAcked);
    expect(report.answersAtProvince).toBe(report.answersAcked);
    expect(report.lost).toBe(0);
    expect(report.receipts).toBe(2);
    expect(report.receiptVerified).toBe(true);
  });
});
