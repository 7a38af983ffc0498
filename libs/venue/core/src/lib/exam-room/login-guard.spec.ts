import { LoginGuard, TICKET_FAILURES } from './login-guard';

const refused = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: string }) => e.code ?? String(e));

describe('LoginGuard (登录失败锁定)', () => {
  it('counts concurrent attempts atomically: of 12 at once on one ticket, 5 are verified, the rest refused locked', async () => {
    const guard = new LoginGuard();
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => refused(guard.attempt('2026000001', 'R01', undefined, undefined))));
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(TICKET_FAILURES);
    expect(outcomes.filter((o) => o === 'LOGIN_LOCKED')).toHaveLength(12 - TICKET_FAILURES);
    expect(guard.locksIn('R01').map((l) => l.ticketNo)).toEqual(['2026000001']);
    expect(guard.locksIn('R02')).toEqual([]);
    expect(await guard.reset('2026000001')).toBe(true);
    expect(await refused(guard.attempt('2026000001', 'R01', undefined, undefined))).toBe('OK');
  });

  it('locks at the 5th failure, not before, and a success clears the count', async () => {
    const guard = new LoginGuard();
    for (let i = 1; i < TICKET_FAILURES; i++) expect(guard.failed('2026000002', 'R01', await guard.attempt('2026000002', 'R01', undefined, undefined))).toBe(false);
    await guard.succeeded('2026000002', undefined, undefined);
    for (let i = 1; i < TICKET_FAILURES; i++) expect(guard.failed('2026000002', 'R01', await guard.attempt('2026000002', 'R01', undefined, undefined))).toBe(false);
    expect(guard.failed('2026000002', 'R01', await guard.attempt('2026000002', 'R01', undefined, undefined))).toBe(true);
    expect(await refused(guard.attempt('2026000002', 'R01', undefined, undefined))).toBe('LOGIN_LOCKED');
  });

  it('refuses a machine that guessed many tickets, whichever ticket it tries next; another machine is unaffected', async () => {
    const guard = new LoginGuard();
    for (let i = 0; i < 20; i++) await guard.attempt(`20260001${String(i).padStart(2, '0')}`, null, 'M-R01-001', '10.0.0.9');
    expect(await refused(guard.attempt('2026009999', null, 'M-R01-001', '10.0.0.9'))).toBe('RATE_LIMITED');
    expect(await refused(guard.attempt('2026009999', null, 'M-R01-002', '10.0.0.10'))).toBe('OK');
  });
});
