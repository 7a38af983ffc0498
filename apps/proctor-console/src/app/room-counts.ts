import type { AttemptStatus, SeatStatus } from '@kaowu/contracts';
import { isFlagged } from './seat-filter';

const LOGGED_IN: ReadonlySet<AttemptStatus> = new Set(['logged_in', 'in_progress', 'submitted', 'ended']);
/** Auto-ended attempts were handed in by the system, so they count as 已交卷 too. */
const HANDED_IN: ReadonlySet<AttemptStatus> = new Set(['submitted', 'ended']);

export interface RoomCounts {
  /** 应到: seats with a candidate assigned. */
  expected: number;
  /** 已登录: logged in at some point (answering and handed-in included). */
  loggedIn: number;
  /** 答题中: answering now, paused ones included (their clock stands still, the attempt is open). */
  answering: number;
  /** 暂停 */
  paused: number;
  /** 已交卷 */
  handedIn: number;
  absent: number;
  /** 有异常: see isFlagged. */
  flagged: number;
  machinesOnline: number;
}

export function countRoom(seats: readonly SeatStatus[]): RoomCounts {
  const assigned = seats.filter((s) => s.candidate !== null);
  return {
    expected: assigned.length,
    loggedIn: assigned.filter((s) => LOGGED_IN.has(s.status)).length,
    answering: assigned.filter((s) => s.status === 'in_progress').length,
    paused: assigned.filter((s) => s.paused).length,
    handedIn: assigned.filter((s) => HANDED_IN.has(s.status)).length,
    absent: assigned.filter((s) => s.status === 'absent').length,
    flagged: assigned.filter(isFlagged).length,
    machinesOnline: seats.filter((s) => s.machineOnline).length,
  };
}
