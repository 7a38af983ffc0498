import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { EXAM_NAMESPACE, EXAM_PROTOCOL, ExamEvent } from '@kaowu/contracts';
import { initCrypto } from '@kaowu/crypto';
import { AckRefused, MockExamClock, SimulatedCandidate, SittingHarness, startSittingHarness } from '@kaowu/testing';

const T0 = new Date('2026-09-09T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const code = (p: Promise<unknown>) => p.then(() => 'OK', (e) => (e instanceof AckRefused ? e.code : `unexpected: ${e}`));
const choice = (...selected: string[]) => ({ kind: 'choice' as const, selected });

/** The exam-machine protocol at the venue: every refusal has its code, and a refusal writes nothing. */
describe('venue exam protocol', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-protocol-'));
  const clock = new MockExamClock(at(-60), 1);
  let h: SittingHarness;
  const people: SimulatedCandidate[] = [];
  const person = (i: number, seatOverride?: { roomCode: string; seatNo: number }) => {
    const c = h.roster.candidates[i];
    const p = new SimulatedCandidate(h.venue.url, { roomCode: seatOverride?.roomCode ?? c.roomCode, seatNo: seatOverride?.seatNo ?? c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo }, h.kioskKey);
    people.push(p);
    return p;
  };
  const venueAnswers = async () => ((await (await fetch(`${h.venue.url}/api/v1/status`)).json()) as { answerEvents: number }).answerEvents;

  beforeAll(async () => {
    await initCrypto();
    h = await startSittingHarness({ candidates: 6, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock });
  });
  afterAll(async () => {
    people.forEach((p) => p.close());
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('refuses a machine without the kiosk attestation and a seat that does not exist', async () => {
    for (const [attestation, seatNo, expected] of [['not-the-kiosk', 1, 'MACHINE_NOT_ATTESTED'], [h.kioskKey, 99, 'MACHINE_UNKNOWN']] as const) {
      const socket = io(h.venue.url + EXAM_NAMESPACE, { transports: ['websocket'] });
      const ack: { ok: boolean; error: { code: string; message: string } } = await socket.emitWithAck(ExamEvent.hello, { protocol: EXAM_PROTOCOL, machineId: 'M-x', roomCode: 'R01', seatNo, attestation });
      socket.close();
      expect(ack).toMatchObject({ ok: false, error: { code: expected } });
      expect(ack.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('walks one candidate through the timeline with every rule on the server clock', async () => {
    const a = person(0);
    await a.connect();
    expect(await code(a.logIn())).toBe('LOGIN_TOO_EARLY');

    clock.set(at(-20), 1);
    const wrongId = new SimulatedCandidate(h.venue.url, { ...a.seat, idNo: '110105194912310021' }, h.kioskKey);
    people.push(wrongId);
    await wrongId.connect();
    expect(await code(wrongId.logIn())).toBe('LOGIN_FAILED');
    const wrongSeat = person(0, { roomCode: 'R01', seatNo: 5 });
    await wrongSeat.connect();
    expect(await code(wrongSeat.logIn())).toBe('WRONG_SEAT');

    const login = await a.logIn();
    expect(login.session.phase).toBe('login_open');
    expect(login.candidate.idNoMasked).toMatch(/^\d{4}\*+/);
    expect(await code(a.answer('S1', choice('A')))).toBe('NOT_STARTED');
    expect(await venueAnswers()).toBe(0);

    // the paper key is released at T-5; the venue pulls it, but the paper opens only at T0
    clock.set(at(-4), 1);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await code(a.waitForStartAndFetch(50, 500))).toMatch(/did not start|NOT_STARTED/);

    clock.set(at(1), 1);
    const items = await a.waitForStartAndFetch(50, 10_000);
    expect(items.length).toBe(20);
    expect(await a.answer('S1', choice('A'))).toEqual({ attemptId: login.attemptId, ackedSeq: 1 });

    const ref = { attemptId: login.attemptId, leaseEpoch: login.leaseEpoch };
    const raw = (body: unknown) => a.socket.emitWithAck(ExamEvent.saveAnswer, body);
    // an identical resend is acked again; a different answer under the same seq is a conflict
    expect(await raw({ ...ref, seq: 1, itemId: 'S1', value: choice('A') })).toMatchObject({ ok: true, data: { ackedSeq: 1 } });
    expect(await raw({ ...ref, seq: 1, itemId: 'S1', value: choice('B') })).toMatchObject({ ok: false, error: { code: 'SEQ_CONFLICT', field: 'seq' } });
    expect(await raw({ ...ref, seq: 2, itemId: 'NOPE', value: choice('A') })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ITEM' } });
    expect(await raw({ ...ref, seq: 2, itemId: 'S1', value: choice('A', 'B') })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'value.selected' } });
    expect(await raw({ ...ref, seq: -2, itemId: 'S1', value: choice('A') })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'seq' } });
    expect(await raw('garbage')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // a gap: seq 3 is durable but the ack names only the contiguous 1; seq 2 closes it
    expect(await raw({ ...ref, seq: 3, itemId: 'M1', value: choice('A', 'C') })).toMatchObject({ ok: true, data: { ackedSeq: 1 } });
    expect(await raw({ ...ref, seq: 2, itemId: 'J1', value: choice('B') })).toMatchObject({ ok: true, data: { ackedSeq: 3 } });
    expect(await venueAnswers()).toBe(3);

    // someone else's attempt
    const b = person(1);
    await b.connect();
    await b.logIn();
    expect(await b.socket.emitWithAck(ExamEvent.saveAnswer, { ...ref, seq: 4, itemId: 'S2', value: choice('A') })).toMatchObject({ ok: false, error: { code: 'ATTEMPT_NOT_YOURS' } });

    // hand-in only after 90 minutes
    clock.set(at(10), 1);
    expect(await code(a.submit())).toBe('HAND_IN_TOO_EARLY');

    // 缺考: a first login 30 minutes after the start is refused
    clock.set(at(31), 1);
    const late = person(2);
    await late.connect();
    expect(await code(late.logIn())).toBe('LOGIN_TOO_LATE');

    // 换机: the machine at the seat dies at T+31 and is replaced; the candidate logs in on the new
    // machine at T+38 and gets the 7 lost minutes back, from the server's own record
    clock.set(at(31), 1);
    expect(await raw({ ...ref, seq: 4, itemId: 'S4', value: choice('D') })).toMatchObject({ ok: true, data: { ackedSeq: 4 } });
    const moved = new SimulatedCandidate(h.venue.url, a.seat, h.kioskKey, 'M-R01-001-spare');
    people.push(moved);
    clock.set(at(38), 1);
    await moved.connect();
    const relogin = await moved.logIn();
    expect(relogin.leaseEpoch).toBe(login.leaseEpoch + 1);
    expect(relogin.session.endsAt).toBe(at(127).toISOString());
    expect(relogin.lastAckedSeq).toBe(4);
    expect(relogin.answers.map((x) => x.itemId).sort()).toEqual(['J1', 'M1', 'S1', 'S4']);
    expect(await raw({ ...ref, seq: 5, itemId: 'S2', value: choice('A') })).toMatchObject({ ok: false, error: { code: 'LEASE_SUPERSEDED' } });
    await moved.waitForStartAndFetch(50, 5000);
    expect((await moved.answer('S2', choice('C'))).ackedSeq).toBe(5);

    clock.set(at(95), 1);
    const handedIn = await moved.submit();
    expect(handedIn.ackedSeq).toBe(5);
    expect(await moved.submit()).toEqual(handedIn); // a retried 交卷 gets the same answer
    expect(await code(moved.answer('S3', choice('A')))).toBe('ATTEMPT_ENDED');
    expect(await venueAnswers()).toBe(5);

    // 10 minutes before the end, everyone still answering is reminded
    clock.set(at(110), 1);
    for (let i = 0; i < 30 && !b.reminder; i++) await new Promise((r) => setTimeout(r, 100));
    expect(b.reminder).toMatchObject({ attemptId: b.login!.attemptId, minutesLeft: 10 });
    expect(moved.reminder).toBeUndefined(); // handed in already

    // the bell: the server ends the rest by itself and tells their machines
    clock.set(at(120), 1);
    for (let i = 0; i < 50 && !b.ended; i++) await new Promise((r) => setTimeout(r, 100));
    expect(b.ended).toMatchObject({ attemptId: b.login!.attemptId, reason: 'time_up' });
    expect(await code(b.answer('S1', choice('A')))).toBe('ATTEMPT_ENDED');
  });
});
