/**
 * When a room's results are sealed for the province (考场数据封装上报).
 *
 * A room closes at the scheduled end plus the most time credited to any of its candidates (补时,
 * 换机, 暂停). Once nobody in it is answering, its proctors check the results (核查考生答题信息) and
 * confirm; the room is sealed and uploaded at that confirmation, or at the latest `graceMinutes`
 * after the close, so a forgotten confirmation never costs the 30-minute upload deadline.
 */
export const UPLOAD_DEADLINE_MINUTES = 30;

export function roomClosedAt(scheduledEndAt: Date, mostCreditedMinutes: number): Date {
  return new Date(scheduledEndAt.getTime() + Math.max(0, mostCreditedMinutes) * 60_000);
}

/** The latest moment a closed room waits for its proctors' confirmation before it is sealed anyway. */
export function autoSealAt(closedAt: Date, graceMinutes: number): Date {
  const grace = Math.min(Math.max(0, graceMinutes), UPLOAD_DEADLINE_MINUTES - 5);
  return new Date(closedAt.getTime() + grace * 60_000);
}

/** A confirmation counts in the sealed package only when it came before the room was (or would be) sealed anyway. */
export function confirmationCounts(confirmedAt: Date, closedAt: Date, graceMinutes: number): boolean {
  return confirmedAt.getTime() <= autoSealAt(closedAt, graceMinutes).getTime();
}
