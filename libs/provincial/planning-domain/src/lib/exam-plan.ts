/** 考试计划 rules: within a batch subjects run in order, each after the previous one has ended. */
export interface PlannedSubject {
  subjectCode: string;
  durationMinutes: number;
}

export type BatchScheduleProblem = { reason: 'START_TIMES_COUNT'; expected: number; got: number } | { reason: 'SUBJECTS_OVERLAP'; subjectCode: string; previous: string };

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Check a batch's start times (HH:MM, one per subject in order) against the subjects' durations. */
export function checkBatchSchedule(subjects: PlannedSubject[], startTimes: string[]): BatchScheduleProblem | undefined {
  if (startTimes.length !== subjects.length) return { reason: 'START_TIMES_COUNT', expected: subjects.length, got: startTimes.length };
  for (let i = 1; i < subjects.length; i++) {
    const previousEnd = minutesOf(startTimes[i - 1]) + subjects[i - 1].durationMinutes;
    if (minutesOf(startTimes[i]) < previousEnd) return { reason: 'SUBJECTS_OVERLAP', subjectCode: subjects[i].subjectCode, previous: subjects[i - 1].subjectCode };
  }
  return undefined;
}

/** A batch start as an instant: the date and time are Beijing time (UTC+8, no daylight saving). */
export function beijingInstant(date: string, hhmm: string): string {
  return new Date(`${date}T${hhmm}:00+08:00`).toISOString();
}

/** An instant as Beijing wall-clock text, "2026-08-20 10:00", for messages a clerk or candidate reads. */
export function beijingDateTimeText(at: Date | string): string {
  return new Date(new Date(at).getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}
