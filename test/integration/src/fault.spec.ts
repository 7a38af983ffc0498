import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto } from '@kaowu/crypto';
import { runFaultTest } from '@kaowu/testing';

/** Short form of the fault test (the long form: npm run fault-test -- --candidates 1000 --kills 20). */
describe('kill -9 of the venue server under load', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-fault-'));
  beforeAll(() => initCrypto());
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('loses no acknowledged answer across repeated crashes, and the machines come back by themselves', async () => {
    const report = await runFaultTest({ candidates: 30, kills: 2, intervalSeconds: 2, workDir, databaseUrl: process.env.DATABASE_URL });
    expect(report.acked).toBeGreaterThan(30);
    expect(report.lost).toBe(0);
    expect(report.unackedAtEnd).toBe(0);
    expect(report.atVenue).toBeGreaterThanOrEqual(report.acked);
  }, 300_000);
});
