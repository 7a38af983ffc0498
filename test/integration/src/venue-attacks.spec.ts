import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { ExamEvent, PROCTOR_NAMESPACE, ProctorEvent, type RoomSeatsPush } from '@kaowu/contracts';
import { initCrypto } from '@kaowu/crypto';
import { AckRefused, MockExamClock, SimulatedCandidate, SittingHarness, proctorAccessCode, startSittingHarness } from '@kaowu/testing';

const T0 = new Date('2026-09-09T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const refusal = (p: Promise<unknown>) => p.then(() => ({ code: 'OK', message: '' }), (e) => (e instanceof AckRefused ? { code: e.code, message: e.message } : { code: `unexpected: ${e}`, message: '' }));
type AckOf<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * Attacks on the venue from the exam LAN (issue 14, holes 3 and 10): guessing logins, learning where
 * someone sits, a page of another origin opening the consoles' sockets, guessing proctor codes.
 */
describe('the venue under attack from the exam LAN', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-attacks-'));
  const clock = new MockExamClock(at(-20), 1);
  let h: SittingHarness;
  let proctor: Socket;
  let accessCode: string;
  const people: SimulatedCandidate[] = [];
  const machine = (seat: { roomCode: string; seatNo: number }, ticketNo: string, idNo: string) => {
    const p = new SimulatedCandidate(h.venue.url, { ...seat, ticketNo, idNo }, h.kioskKey);
    people.push(p);
    return p;
  };
  const act = <T>(event: string, body: unknown, socket = proctor) => socket.emitWithAck(event, body) as Promise<AckOf<T>>;
  const auditActions = async () => ((await h.venue.ctx.db.dataSource.query('SELECT action FROM audit_event ORDER BY id')) as { action: string }[]).map((r) => r.action);

  beforeAll(async () => {
    await initCrypto();
    h = await startSittingHarness({ candidates: 30, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock });
    accessCode = await proctorAccessCode(h.api, 'R01');
    proctor = io(h.venue.url + PROCTOR_NAMESPACE, { transports: ['websocket'] });
    const joined = await act<RoomSeatsPush>(ProctorEvent.join, { roomCode: 'R01', accessCode });
    expect(joined.ok).toBe(true);
  });
  afterAll(async () => {
    proctor?.close();
    people.forEach((p) => p.close());
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('locks a ticket after 5 wrong ID numbers — the right one too — shows it to the proctor, who lifts it', async () => {
    const victim = h.roster.candidates.find((c) => c.roomCode === 'R01')!;
    const guesser = machine({ roomCode: victim.roomCode, seatNo: victim.seatNo }, victim.ticketNo, '110105194912310021');
    await guesser.connect();
    for (let i = 0; i < 5; i++) expect((await refusal(guesser.logIn())).code).toBe('LOGIN_FAILED');
    const real = machine({ roomCode: victim.roomCode, seatNo: victim.seatNo }, victim.ticketNo, victim.idNo);
    await real.connect();
    const locked = await refusal(real.logIn());
    expect(locked.code).toBe('LOGIN_LOCKED');
    expect(locked.message).toContain('联系监考员');

    const pushed = await new Promise<RoomSeatsPush>((resolve) => {
      const onPush = (p: RoomSeatsPush) => {
        if ((p.loginLocks ?? []).length > 0) {
          proctor.off(ProctorEvent.seats, onPush);
          resolve(p);
        }
      };
      proctor.on(ProctorEvent.seats, onPush);
    });
    expect(pushed.loginLocks).toEqual([{ ticketNo: victim.ticketNo, candidateName: victim.name, seatNo: victim.seatNo, lockedUntil: expect.any(String) }]);
    expect(await act(ProctorEvent.resetLoginLock, { ticketNo: victim.ticketNo })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await act(ProctorEvent.resetLoginLock, { ticketNo: victim.ticketNo, reason: '已核对准考证和身份证' })).toEqual({ ok: true, data: { ticketNo: victim.ticketNo, lifted: true } });
    expect((await real.logIn()).candidate.ticketNo).toBe(victim.ticketNo);
    expect(await auditActions()).toEqual(expect.arrayContaining(['candidate.login-locked', 'candidate.login-unlocked']));
  });

  it('answers 300 concurrent guesses from one machine without letting more than its limit through, then refuses it', async () => {
    const seat = h.roster.candidates.find((c) => c.roomCode === 'R01' && c.seatNo === 10)!;
    const rogue = machine({ roomCode: seat.roomCode, seatNo: seat.seatNo }, '0000000000', '110105194912310021');
    await rogue.connect();
    const guesses = Array.from({ length: 300 }, (_, i) => rogue.emitRaw(ExamEvent.login, { ticketNo: String(2026000000 + i * 7919).padStart(10, '0').slice(-10), idNo: '110105194912310021' }));
    const answers = (await Promise.all(guesses)) as AckOf<unknown>[];
    const codes = answers.map((a) => (a.ok ? 'OK' : a.error.code));
    expect(codes.every((c) => c === 'LOGIN_FAILED' || c === 'RATE_LIMITED' || c === 'LOGIN_LOCKED')).toBe(true);
    // counted atomically: no more wrong guesses got an answer than the machine's limit allows
    expect(codes.filter((c) => c === 'LOGIN_FAILED').length).toBeLessThanOrEqual(20);
    expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThan(250);
    // and the machine stays refused, even with a real candidate's numbers
    const after = (await rogue.emitRaw(ExamEvent.login, { ticketNo: seat.ticketNo, idNo: seat.idNo })) as AckOf<unknown>;
    expect(after).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('never tells a candidate at the wrong machine where they, or anyone, sit', async () => {
    const c = h.roster.candidates.find((x) => x.roomCode === 'R01' && x.seatNo === 3)!;
    const elsewhere = machine({ roomCode: 'R01', seatNo: 4 }, c.ticketNo, c.idNo);
    await elsewhere.connect();
    const r = await refusal(elsewhere.logIn());
    expect(r.code).toBe('WRONG_SEAT');
    expect(r.message).not.toMatch(/R01|\b3\s*号/);
  });

  it('refuses the proctor socket to a page of another origin, and keeps it for the venue’s own pages', async () => {
    const foreign = io(h.venue.url + PROCTOR_NAMESPACE, { transports: ['websocket'], extraHeaders: { origin: 'https://evil.example' }, reconnection: false });
    const outcome = await new Promise<string>((resolve) => {
      foreign.on('connect', () => resolve('connected'));
      foreign.on('connect_error', (e) => resolve(`refused: ${e.message}`));
    });
    foreign.close();
    expect(outcome).toMatch(/^refused/);
    const own = io(h.venue.url + PROCTOR_NAMESPACE, { transports: ['websocket'], extraHeaders: { origin: new URL(h.venue.url).origin }, reconnection: false });
    expect(await new Promise<string>((resolve) => { own.on('connect', () => resolve('connected')); own.on('connect_error', (e) => resolve(e.message)); })).toBe('connected');
    own.close();
  });

  it('stops an address guessing proctor codes after 10 wrong ones, the right code included', async () => {
    const guesser = io(h.venue.url + PROCTOR_NAMESPACE, { transports: ['websocket'] });
    for (let i = 0; i < 10; i++) expect(await act(ProctorEvent.join, { roomCode: 'R01', accessCode: `wrong${i}00000` }, guesser)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await act(ProctorEvent.join, { roomCode: 'R01', accessCode }, guesser)).toMatchObject({ ok: false, error: { code: 'SIGN_IN_LOCKED' } });
    guesser.close();
    expect(await auditActions()).toContain('proctor.sign-in-locked');
  });
});
