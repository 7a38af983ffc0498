import { Injectable } from '@nestjs/common';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { DomainError } from '@kaowu/server-kit';

/** Wrong logins for one ticket before it is locked, and for how long (the proctor may lift it sooner). */
export const TICKET_FAILURES = 5;
export const LOCK_MINUTES = 15;
/** One exam machine, or one network address, trying many tickets: an attack, not a candidate's typo. */
const MACHINE_FAILURES = 20;
const SOURCE_FAILURES = 100;

export interface LoginLock {
  ticketNo: string;
  roomCode: string | null;
  lockedAt: Date;
  lockedUntil: Date;
}

/** Counters only: the limits are compared here, so one consume both counts an attempt and tells where it stands. */
const counter = (keyPrefix: string) => new RateLimiterMemory({ keyPrefix, points: 1_000_000, duration: LOCK_MINUTES * 60 });

/**
 * 登录失败锁定. Every login attempt takes a point from its ticket's, its machine's and its network
 * address's counter *before* anything is verified (rate-limiter-flexible updates them atomically), so
 * 300 concurrent guesses cannot all slip past a count read before an `await`; a success gives the
 * machine's and the address's point back. A ticket is locked at its 5th failure and shown to its
 * room's proctors, who may lift it; a machine or address past its limit is refused whatever it tries.
 * Nothing in a refusal tells whether a ticket exists. Counters can move to Redis with several instances.
 */
@Injectable()
export class LoginGuard {
  private readonly tickets = counter('ticket');
  private readonly machines = counter('machine');
  private readonly sources = counter('source');
  private readonly locked = new Map<string, LoginLock>();

  /**
   * Count an attempt; refuse it outright when the ticket is locked or the machine or address has
   * failed too often. Returns the ticket's attempts in the window, this one included.
   */
  async attempt(ticketNo: string, roomCode: string | null, machineId: string | undefined, source: string | undefined): Promise<number> {
    const lock = this.locked.get(ticketNo);
    if (lock && lock.lockedUntil > new Date()) throw lockedOut();
    if (lock) {
      this.locked.delete(ticketNo);
      await this.tickets.delete(ticketNo);
    }
    for (const [limiter, key, limit] of [[this.machines, machineId, MACHINE_FAILURES], [this.sources, source, SOURCE_FAILURES]] as const) {
      if (!key) continue;
      const res = await limiter.consume(key);
      if (res.consumedPoints > limit) throw tooMany(Math.ceil(res.msBeforeNext / 1000));
    }
    const used = (await this.tickets.consume(ticketNo)).consumedPoints;
    if (used > TICKET_FAILURES) {
      this.lock(ticketNo, roomCode);
      throw lockedOut();
    }
    return used;
  }

  /** The attempt failed; true when it was the ticket's last allowed one and has just locked it. */
  failed(ticketNo: string, roomCode: string | null, attempts: number): boolean {
    return attempts >= TICKET_FAILURES ? this.lock(ticketNo, roomCode) : false;
  }

  async succeeded(ticketNo: string, machineId: string | undefined, source: string | undefined): Promise<void> {
    await Promise.all([this.tickets.delete(ticketNo), machineId ? this.machines.reward(machineId, 1) : undefined, source ? this.sources.reward(source, 1) : undefined]);
  }

  /** The proctor lifts a lock (after checking the candidate's documents). */
  async reset(ticketNo: string): Promise<boolean> {
    const had = this.locked.delete(ticketNo);
    await this.tickets.delete(ticketNo);
    return had;
  }

  /** Tickets locked now whose candidate sits in this room. */
  locksIn(roomCode: string): LoginLock[] {
    const now = new Date();
    return [...this.locked.values()].filter((l) => l.lockedUntil > now && l.roomCode === roomCode);
  }

  private lock(ticketNo: string, roomCode: string | null): boolean {
    if (this.locked.has(ticketNo)) return false;
    const now = new Date();
    this.locked.set(ticketNo, { ticketNo, roomCode, lockedAt: now, lockedUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000) });
    return true;
  }
}

const lockedOut = () =>
  new DomainError('LOGIN_LOCKED', `登录失败次数过多，本准考证号已锁定 ${LOCK_MINUTES} 分钟；请举手联系监考员核对证件后解除`, `too many failed logins: this ticket is locked for ${LOCK_MINUTES} minutes; ask the proctor`, 'ticketNo');
const tooMany = (retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', '本考试机登录失败次数过多，已暂停登录；请联系监考员', 'too many failed logins from this machine; ask the proctor', 'ticketNo', { retryAfterSeconds });
