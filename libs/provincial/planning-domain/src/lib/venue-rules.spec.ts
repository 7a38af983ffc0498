import { allocatableSeats, checkProctorStaffing, managementMachines, requiredProctors, spareMachines } from './venue-rules';

describe('备用考试机 (5% spare exam machines per room, rounded up)', () => {
  it.each([
    [0, 0], [1, 1], [19, 1], [20, 1], [21, 2], [40, 2], [41, 3], [50, 3], [60, 3], [61, 4], [100, 5], [101, 6], [400, 20],
  ])('%i seats keep %i spares', (seats, spares) => {
    expect(spareMachines(seats)).toBe(spares);
    expect(allocatableSeats(seats)).toBe(seats - spares);
  });
  it('refuses a negative or fractional seat count', () => {
    expect(() => spareMachines(-1)).toThrow(RangeError);
    expect(() => spareMachines(2.5)).toThrow(RangeError);
  });
  it('adds one spare management machine per 10 rooms, at least one', () => {
    expect(managementMachines(1)).toEqual({ perRoom: 1, spare: 1, total: 2 });
    expect(managementMachines(10)).toEqual({ perRoom: 10, spare: 1, total: 11 });
    expect(managementMachines(11)).toEqual({ perRoom: 11, spare: 2, total: 13 });
  });
});

describe('监考人员配备 (2 up to 50 candidates, +1 to 2 per further 25)', () => {
  it.each([
    [0, 0, 0], [1, 2, 2], [50, 2, 2], [51, 3, 4], [75, 3, 4], [76, 4, 6], [100, 4, 6], [101, 5, 8], [125, 5, 8],
  ])('%i candidates need %i to %i proctors', (candidates, min, max) => {
    expect(requiredProctors(candidates)).toEqual({ min, max });
  });
  it('flags a room with too few or too many proctors and accepts one within the range', () => {
    expect(checkProctorStaffing(60, 2)).toEqual({ ok: false, reason: 'PROCTORS_TOO_FEW', required: { min: 3, max: 4 }, assigned: 2 });
    expect(checkProctorStaffing(60, 3)).toEqual({ ok: true, required: { min: 3, max: 4 } });
    expect(checkProctorStaffing(60, 4)).toEqual({ ok: true, required: { min: 3, max: 4 } });
    expect(checkProctorStaffing(60, 5)).toMatchObject({ ok: false, reason: 'PROCTORS_TOO_MANY' });
    expect(checkProctorStaffing(40, 1)).toMatchObject({ ok: false, reason: 'PROCTORS_TOO_FEW' });
  });
});
