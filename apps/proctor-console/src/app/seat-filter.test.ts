import { describe, expect, it } from 'vitest';
import { countRoom } from './room-counts';
import { isFlagged, matchesFilter, spareSeats } from './seat-filter';
import { seat } from './test-support';

const seats = [
  seat(1, 1, 1, { status: 'in_progress', attemptId: 'A1' }),
  seat(2, 1, 2, {}), // 未登录, machine on
  seat(3, 1, 3, { status: 'in_progress', attemptId: 'A3', machineOnline: false }), // offline while answering
  seat(4, 2, 1, { status: 'submitted', attemptId: 'A4', machineOnline: false }), // handed in, machine off: no alarm
  seat(5, 2, 2, { status: 'in_progress', attemptId: 'A5', paused: true }),
  seat(6, 2, 3, { status: 'logged_in', attemptId: 'A6', focusLosses: 2 }),
  seat(7, 3, 1, { status: 'not_logged_in', machineOnline: false }), // not yet here, machine off
  seat(8, 3, 2, { status: 'absent', machineOnline: false }),
  seat(9, 3, 3, { candidate: null }),
  seat(10, 4, 1, { candidate: null, machineOnline: false }),
];
const numbers = (filter: Parameters<typeof matchesFilter>[1]) => seats.filter((s) => matchesFilter(s, filter)).map((s) => s.seatNo);

describe('seat filters', () => {
  it('全部 shows every seat, empty ones included', () => {
    expect(numbers('all')).toHaveLength(10);
  });

  it('未登录 is a candidate who has not logged in (absent ones are 缺考, not 未登录)', () => {
    expect(numbers('not_logged_in')).toEqual([2, 7]);
  });

  it('离线 is a candidate machine that is off while there is still work to do on it', () => {
    expect(numbers('offline')).toEqual([3, 7, 8]);
  });

  it('有异常 is offline while answering, paused, or having left the exam screen', () => {
    expect(numbers('flagged')).toEqual([3, 5, 6]);
    expect(isFlagged(seat(11, 1, 1, { status: 'submitted', machineOnline: false }))).toBe(false);
  });

  it('备用机 are the seats without a candidate', () => {
    expect(spareSeats(seats).map((s) => s.seatNo)).toEqual([9, 10]);
  });
});

describe('room counts', () => {
  it('counts expected, logged in, answering, paused, handed in, absent, flagged and machines online', () => {
    expect(countRoom(seats)).toEqual({ expected: 8, loggedIn: 5, answering: 3, paused: 1, handedIn: 1, absent: 1, flagged: 3, machinesOnline: 5 });
  });
});
