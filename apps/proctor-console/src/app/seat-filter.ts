import type { AttemptStatus, SeatStatus } from '@kaowu/contracts';

/** The seat map's filters: 全部 / 未登录 / 离线 / 有异常. */
export type SeatFilter = 'all' | 'not_logged_in' | 'offline' | 'flagged';
export const SEAT_FILTERS: readonly SeatFilter[] = ['all', 'not_logged_in', 'offline', 'flagged'];

/** The attempt is open: the candidate is (or should be) at the machine. */
const OPEN: ReadonlySet<AttemptStatus> = new Set(['logged_in', 'in_progress']);
/** Handed in or ended: a machine switched off then is expected, not an alarm. */
const DONE: ReadonlySet<AttemptStatus> = new Set(['submitted', 'ended']);

/** 离线: a candidate's machine is off while the candidate still has work there. */
export const isOffline = (seat: SeatStatus): boolean => seat.candidate !== null && !seat.machineOnline && !DONE.has(seat.status);

/** 有异常: offline while the attempt is open, paused, the exam screen was left (离开考试界面), 人证不符 or an incident. */
export const isFlagged = (seat: SeatStatus): boolean =>
  seat.candidate !== null &&
  ((OPEN.has(seat.status) && !seat.machineOnline) || !!seat.paused || (seat.focusLosses ?? 0) > 0 || seat.identity === 'mismatch' || (seat.incidents ?? 0) > 0);

export function matchesFilter(seat: SeatStatus, filter: SeatFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'not_logged_in':
      return seat.candidate !== null && seat.status === 'not_logged_in';
    case 'offline':
      return isOffline(seat);
    case 'flagged':
      return isFlagged(seat);
  }
}

/** 备用机: seats of the room without a candidate (换机 targets). */
export const spareSeats = (seats: readonly SeatStatus[]): SeatStatus[] => seats.filter((s) => s.candidate === null);
