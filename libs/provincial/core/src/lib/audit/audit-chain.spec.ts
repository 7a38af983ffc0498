import { ManualClock } from '@kaowu/exam-domain';
import { verifyAuditTable } from '@kaowu/server-kit';
import { startPlanningServer } from '../test-support/planning-test-server';

const clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));

/** `npm run audit:verify` re-derives the chain; an edited, deleted or forged row is named. */
describe('audit log hash chain', () => {
  let planning: Awaited<ReturnType<typeof startPlanningServer>>;
  const q = (sql: string, params: unknown[] = []) => planning.server.ctx.db.dataSource.query(sql, params);

  beforeAll(async () => {
    planning = await startPlanningServer('auditchain', clock, [{ batchCode: 'B1', date: '2026-09-05', startTimes: ['08:30', '13:30', '18:00'] }]);
    await planning.send('POST', '/venues', { venueCode: 'V01', name: '贵州财经大学考点', rooms: [{ roomCode: 'R01', name: '第1考场', rows: 2, cols: 5 }] });
    await planning.send('POST', '/staff-tokens', { label: '省审计 李四', role: 'auditor' });
    await planning.send('PUT', '/venues/V01/planning', { regionCode: '520100', address: '贵阳市花溪区' });
  });
  afterAll(() => planning.close());

  it('is whole after ordinary work', async () => {
    const report = await verifyAuditTable(planning.server.ctx.db.dataSource);
    expect(report).toMatchObject({ ok: true, breaks: [] });
    expect(report.rows).toBeGreaterThanOrEqual(5);
  });

  it('names the row whose content was edited in the database', async () => {
    const [{ id }] = await q("SELECT id FROM audit_event WHERE action = 'staff_token.issued'");
    await q("UPDATE audit_event SET details = jsonb_set(details, '{role}', '\"provincial-admin\"') WHERE id = $1", [id]);
    const report = await verifyAuditTable(planning.server.ctx.db.dataSource);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([{ id: Number(id), problem: 'edited', message: expect.stringContaining('记录被改动过') }]);
  });

  it('names the row after one that was deleted', async () => {
    const rows: { id: string }[] = await q('SELECT id FROM audit_event ORDER BY id');
    const victim = Number(rows[1].id);
    await q('DELETE FROM audit_event WHERE id = $1', [victim]);
    const report = await verifyAuditTable(planning.server.ctx.db.dataSource);
    expect(report.breaks).toContainEqual({ id: Number(rows[2].id), problem: 'unlinked', message: expect.stringContaining('不相连') });
  });
});
