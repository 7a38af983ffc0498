import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentReport } from '@kaowu/contracts';
import { initCrypto } from '@kaowu/crypto';
import { MockExamClock, SimulatedCandidate, SittingHarness, startSittingHarness } from '@kaowu/testing';

const T0 = new Date('2026-09-09T02:00:00Z');

/** 环境检查 and 封场 at a real venue server: what is checked, each exam machine's clock, and a seal refused while a check fails. */
describe('technician: environment check and 封场', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-technician-'));
  let h: SittingHarness;
  let machine: SimulatedCandidate;

  beforeAll(async () => {
    await initCrypto();
    h = await startSittingHarness({ candidates: 2, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock: new MockExamClock(new Date(T0.getTime() - 60 * 60_000), 0) });
    const c = h.roster.candidates[0];
    machine = new SimulatedCandidate(h.venue.url, { roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo }, h.kioskKey);
    await machine.connect();
  });
  afterAll(async () => {
    machine?.close();
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const environment = async () => (await (await fetch(`${h.venue.url}/api/v1/technician/environment`)).json()) as EnvironmentReport;

  it('checks the server and lists each connected exam machine with its clock against the server', async () => {
    const report = await environment();
    expect(report.checks.map((c) => c.code)).toEqual(['database', 'data_disk', 'backup', 'memory', 'cpu', 'clock', 'tls', 'package']);
    const byCode = Object.fromEntries(report.checks.map((c) => [c.code, c]));
    expect(byCode.database.ok).toBe(true);
    expect(byCode.package).toMatchObject({ ok: true, detail: expect.stringContaining('场次 S1') });
    // the test's backup directory sits on the same disk as the data: a venue must not run like that
    expect(byCode.backup).toMatchObject({ ok: false, detail: expect.stringContaining('与数据盘在同一设备上') });
    expect(report.passed).toBe(false);
    expect(report.machines).toEqual([expect.objectContaining({ machineId: 'M-R01-001', roomCode: 'R01', seatNo: 1, attested: true })]);
    // the servers run on a mock exam clock an hour before the start; the machine's clock is real time
    expect(typeof report.machines[0].clockSkewMs).toBe('number');
    // a machine that has synced twice has told the venue its round trip
    await machine.syncClock();
    await machine.syncClock();
    const again = await environment();
    expect(again.machines[0].latencyMs).toEqual(expect.any(Number));
    expect(again.machines[0].latencyMs).toBeLessThan(1000);
    expect(report.sealed).toBeNull();
  });

  it('refuses 封场 while a check fails, naming it, and records nothing', async () => {
    const bad = await fetch(`${h.venue.url}/api/v1/technician/seal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signedBy: '' }) });
    expect(bad.status).toBe(400);
    const res = await fetch(`${h.venue.url}/api/v1/technician/seal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signedBy: '主考 王明、技术负责人 李强' }) });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('CHECKS_FAILED');
    expect(body.message).toContain('答题备份盘');
    expect((await environment()).sealed).toBeNull();
  });
});
