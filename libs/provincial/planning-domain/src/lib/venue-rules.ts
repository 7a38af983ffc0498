/**
 * Venue rules of the provincial work plan (三、无纸化考试考场(点)设置要求).
 */

/** 备用考试机: 5% of a room's exam machines, rounded up (a 41-seat room keeps 3 spares). */
export function spareMachines(seats: number): number {
  if (!Number.isInteger(seats) || seats < 0) throw new RangeError(`seats must be a non-negative integer, got ${seats}`);
  // Integer arithmetic: ceil(seats × 5 / 100) without floating-point surprises.
  return Math.floor((seats * 5 + 99) / 100);
}

/** Seats a room can give candidates: every seat but its spare machines. */
export function allocatableSeats(seats: number): number {
  return seats - spareMachines(seats);
}

/** 考试管理机: one per room, plus one spare per 10 rooms (at least one). */
export function managementMachines(rooms: number): { perRoom: number; spare: number; total: number } {
  const spare = rooms > 0 ? Math.max(1, Math.ceil(rooms / 10)) : 0;
  return { perRoom: rooms, spare, total: rooms + spare };
}

export interface ProctorRequirement {
  min: number;
  max: number;
}

/**
 * 监考人员: "50人及以下考场应当配备2名监考人员，每增加25名考生应增加配备1至2名监考人员".
 * Each further 25 candidates, or part of 25, adds 1 to 2 proctors: 51–75 → 3–4, 76–100 → 4–6.
 * An empty room needs nobody.
 */
export function requiredProctors(candidates: number): ProctorRequirement {
  if (!Number.isInteger(candidates) || candidates < 0) throw new RangeError(`candidates must be a non-negative integer, got ${candidates}`);
  if (candidates === 0) return { min: 0, max: 0 };
  const steps = candidates <= 50 ? 0 : Math.ceil((candidates - 50) / 25);
  return { min: 2 + steps, max: 2 + 2 * steps };
}

export type StaffingProblem = 'PROCTORS_TOO_FEW' | 'PROCTORS_TOO_MANY';
export type StaffingCheck = { ok: true; required: ProctorRequirement } | { ok: false; reason: StaffingProblem; required: ProctorRequirement; assigned: number };

/** Check a room's assigned proctors against the rule. */
export function checkProctorStaffing(candidates: number, assignedProctors: number): StaffingCheck {
  const required = requiredProctors(candidates);
  if (assignedProctors < required.min) return { ok: false, reason: 'PROCTORS_TOO_FEW', required, assigned: assignedProctors };
  if (assignedProctors > required.max) return { ok: false, reason: 'PROCTORS_TOO_MANY', required, assigned: assignedProctors };
  return { ok: true, required };
}
