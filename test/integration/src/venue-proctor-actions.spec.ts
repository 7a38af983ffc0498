import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, Socket } from 'socket.io-client';
import { PROCTOR_NAMESPACE, ProctorEvent, RoomSeatsPush } from '@kaowu/contracts';
import { initCrypto } from '@kaowu/crypto';
import { AckRefused, MockExamClock, SimulatedCandidate, SittingHarness, proctorAccessCode, startSittingHarness, venueJson } from '@kaowu/testing';

const T0 = new Date('2026-09-09T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const code = (p: Promise<unknown>) => p.then(() => 'OK', (e) => (e instanceof AckRefused ? e.code : `unexpected: ${e}`));
const choice = (...selected: string[]) => ({ kind: 'choice' as const, selected });
const until = async (cond: () => boolean, ms = 5000) => {
  for (let waited = 0; !cond() && waited < ms; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return cond();
};
type AckOf<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } };

/** 换机 to a spare seat, 暂停/恢复 (one candidate, the room, the venue) and 补时, all on the server clock. */
describe('proctor and venue actions on the exam clock', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-actions-'));
  const clock = new MockExamClock(at(-20), 0);
  let h: SittingHarness;
  let proctor: Socket;
  const people: SimulatedCandidate[] = [];
  const person = (i: number, machineId?: string, seatNo?: number) => {
    const c = h.roster.candidates[i];
    const p = new SimulatedCandidate(h.venue.url, { roomCode: c.roomCode, seatNo: seatNo ?? c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo }, h.kioskKey, machineId);
    people.push(p);
    return p;
  };
  const act = <T>(event: string, body: unknown) => proctor.emitWithAck(event, body) as Promise<AckOf<T>>;
  const seatMap = () => act<RoomSeatsPush>(ProctorEvent.join, { roomCode: 'R01', accessCode }).then((a) => (a.ok ? a.data : Promise.reject(a.error)));
  let accessCode = '';

  beforeAll(async () => {
    await initCrypto();
    h = await startSittingHarness({ candidates: 4, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock, minMinutesBeforeHandIn: 30 });
    accessCode = await proctorAccessCode(h.api, 'R01');
    proctor = io(h.venue.url + PROCTOR_NAMESPACE, { transports: ['websocket'] });
  });
  afterAll(async () => {
    proctor?.close();
    people.forEach((p) => p.close());
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('refuses actions before the proctor has joined the room', async () => {
    expect(await act(ProctorEvent.extend, { attemptId: 'x', minutes: 5, reason: '测试' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await seatMap();
  });

  it('moves a candidate whose machine failed to a spare seat, with the lost minutes credited at the new login', async () => {
    const a = person(0);
    await a.connect();
    const login = await a.logIn();
    clock.set(at(1), 0);
    await a.waitForStartAndFetch(50, 10_000);
    clock.set(at(20), 0);
    expect((await a.answer('S1', choice('A'))).ackedSeq).toBe(1);
    a.close(); // the machine at seat 1 dies at T+20; the venue notices
    for (let i = 0; i < 100 && (await seatMap()).seats.find((s) => s.seatNo === 1)?.machineOnline; i++) await new Promise((r) => setTimeout(r, 50));

    // a spare seat needs the proctor's authorisation
    clock.set(at(24), 0);
    const spare = person(0, 'M-R01-SPARE-30', 30);
    await spare.connect();
    expect(await code(spare.logIn())).toBe('WRONG_SEAT');

    expect(await act(ProctorEvent.moveSeat, { attemptId: login.attemptId, toSeatNo: 2, reason: '考试机故障' })).toMatchObject({ ok: false, error: { code: 'SEAT_TAKEN', field: 'toSeatNo' } });
    expect(await act(ProctorEvent.moveSeat, { attemptId: login.attemptId, toSeatNo: 99, reason: '考试机故障' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'toSeatNo' } });
    expect(await act(ProctorEvent.moveSeat, { attemptId: login.attemptId, toSeatNo: 30, reason: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'reason' } });
    const moved = await act<{ fromSeatNo: number; toSeatNo: number; creditIfLoggedInNow: number; lastSeenAt: string }>(ProctorEvent.moveSeat, { attemptId: login.attemptId, toSeatNo: 30, reason: '考试机黑屏，换至备用机' });
    expect(moved).toMatchObject({ ok: true, data: { fromSeatNo: 1, toSeatNo: 30, creditIfLoggedInNow: 4 } });

    const relogin = await spare.logIn();
    expect(relogin.lastAckedSeq).toBe(1);
    expect(relogin.session.endsAt).toBe(at(124).toISOString());
    expect((await spare.answer('S2', choice('B'))).ackedSeq).toBe(2);
    const map = await seatMap();
    expect(map.seats.find((s) => s.seatNo === 30)).toMatchObject({ candidate: { ticketNo: a.seat.ticketNo }, creditedMinutes: 4, movedFromSeatNo: 1, attemptId: login.attemptId });
    expect(map.seats.find((s) => s.seatNo === 1)?.candidate).toBeNull();
    // back at the old seat without a new authorisation: refused
    const old = person(0);
    await old.connect();
    expect(await code(old.logIn())).toBe('WRONG_SEAT');
  });

  it('adds extra time for one candidate and tells the machine its new end', async () => {
    const b = person(1);
    await b.connect();
    const login = await b.logIn();
    await b.waitForStartAndFetch(50, 10_000);
    expect(await act(ProctorEvent.extend, { attemptId: login.attemptId, minutes: 31, reason: '补时' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'minutes' } });
    const ack = await act(ProctorEvent.extend, { attemptId: login.attemptId, minutes: 5, reason: '身份核验耽误时间' });
    expect(ack).toMatchObject({ ok: true, data: { status: 'applied', time: { change: 'extended', minutes: 5, creditedMinutes: 5, endsAt: at(125).toISOString() } } });
    expect(await until(() => b.timeChanges.length === 1)).toBe(true);
    expect(b.timeChanges[0]).toMatchObject({ change: 'extended', endsAt: at(125).toISOString(), reason: '身份核验耽误时间' });
  });

  it('pauses and resumes one candidate: no hand-in while paused, the paused minutes come back', async () => {
    const b = people[people.length - 1];
    const attemptId = b.login!.attemptId;
    clock.set(at(40), 0);
    expect(await act(ProctorEvent.pause, { attemptId, reason: '考生身体不适' })).toMatchObject({ ok: true, data: { attempts: [{ change: 'paused', pausedAt: at(40).toISOString() }] } });
    expect(await act(ProctorEvent.pause, { attemptId, reason: '重复' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await code(b.submit())).toBe('EXAM_PAUSED');
    expect((await b.answer('S3', choice('C'))).ackedSeq).toBe(1); // typed before the pause reached the screen: kept
    clock.set(at(46.5), 0);
    const resumed = await act<{ attempts: { minutes: number; creditedMinutes: number; endsAt: string }[] }>(ProctorEvent.resume, { attemptId, reason: '考生恢复' });
    expect(resumed).toMatchObject({ ok: true, data: { attempts: [{ minutes: 7, creditedMinutes: 12, endsAt: at(132).toISOString() }] } });
    expect(await until(() => b.timeChanges.length === 3)).toBe(true);
    expect(b.timeChanges.map((t) => t.change)).toEqual(['extended', 'paused', 'resumed']);
  });

  it('pauses the whole venue in an outage: nobody is ended while paused, everyone gets the time back', async () => {
    const [a, b] = [people.find((p) => p.machineId === 'M-R01-SPARE-30')!, people[people.length - 1]];
    clock.set(at(118), 0);
    const url = `${h.venue.url}/api/v1/venue`;
    await expect(venueJson(`${url}/pause`, { method: 'POST', body: { reason: 'x' } })).rejects.toThrow(/HTTP 400/);
    const paused = await venueJson<{ attempts: { attemptId: string }[] }>(`${url}/pause`, { method: 'POST', body: { reason: '考点停电' } });
    expect(paused.attempts.map((p) => p.attemptId).sort()).toEqual([a.login!.attemptId, b.login!.attemptId].sort());
    expect((await seatMap()).seats.filter((s) => s.paused).length).toBe(2);

    // the scheduled end (T+124 for a) passes during the outage: the server does not end anyone
    clock.set(at(140), 0);
    await h.venue.scheduler.tick();
    expect(a.ended).toBeUndefined();
    const resumed = await venueJson<{ attempts: { attemptId: string; minutes: number; endsAt: string }[] }>(`${url}/resume`, { method: 'POST', body: { reason: '恢复供电' } });
    const forA = resumed.attempts.find((r) => r.attemptId === a.login!.attemptId)!;
    expect(forA).toMatchObject({ minutes: 22, endsAt: at(146).toISOString() });
    expect(await until(() => a.timeChanges.some((t) => t.change === 'resumed'))).toBe(true);
    expect((await a.answer('S4', choice('D'))).ackedSeq).toBe(3);

    // and the audit log has every step with its actor and reason
    const audit: { actor: string; action: string; reason: string }[] = await h.venue.ctx.db.dataSource.query(
      `SELECT actor, action, reason FROM audit_event WHERE action IN ('attempt.seat_moved', 'attempt.extended', 'venue.paused', 'venue.resumed') ORDER BY id`,
    );
    expect(audit).toEqual([
      { actor: 'proctor:R01', action: 'attempt.seat_moved', reason: '考试机黑屏，换至备用机' },
      { actor: 'proctor:R01', action: 'attempt.extended', reason: '身份核验耽误时间' },
      { actor: 'technician@localhost', action: 'venue.paused', reason: '考点停电' },
      { actor: 'technician@localhost', action: 'venue.resumed', reason: '恢复供电' },
    ]);
    clock.set(at(146), 0);
    expect(await until(() => !!a.ended, 10_000)).toBe(true);
    expect(a.ended).toMatchObject({ reason: 'time_up' });
  });
});
