/** Exams run on Beijing time whatever the machine's zone is set to. */
export const EXAM_TIME_ZONE = 'Asia/Shanghai';

const clockFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: EXAM_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: EXAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const toDate = (at: string | number) => new Date(typeof at === 'string' ? Date.parse(at) : at);

/** `HH:MM:SS` in exam time. */
export function formatClock(at: string | number): string {
  return clockFormat.format(toDate(at));
}

/** `YYYY/MM/DD HH:MM:SS` in exam time. */
export function formatDateTime(at: string | number): string {
  return dateTimeFormat.format(toDate(at));
}
