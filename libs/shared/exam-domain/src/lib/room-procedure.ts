import type { RoomTimeline } from './room-timeline';

/**
 * The work plan's 考试操作规程 (四(五)): the 17 steps of a room's session, when each is due on the
 * server clock, who does it, and how it is known to be done. A person's step is recorded by a
 * button in the proctor console; a system step is done when the venue sees it happen.
 */
export type ProcedureRole = 'chief' | 'technician' | 'proctor' | 'candidate' | 'system';

/** How a step is known to be done. */
export type ProcedureEvidence =
  /** a person records it (e.g. 考生须知已宣读) */
  | 'recorded'
  /** every machine of the room is online (等待登录界面) */
  | 'machines_online'
  /** every candidate present was signed in at entry (签到、核对身份) */
  | 'identity_checked'
  /** every candidate present was checked again during the exam (step 13) */
  | 'identity_rechecked'
  /** the candidates logged in (every one not absent) */
  | 'logged_in'
  /** the session started on the server clock */
  | 'started'
  /** the session ended and every attempt is closed */
  | 'ended'
  /** 核查 confirmed */
  | 'verified';

export interface ProcedureStep {
  no: number;
  /** Minutes from T0 when the step is due; `end` steps are due at the room's end. */
  due: { from: 'start'; minutes: number } | { from: 'end'; minutes: number };
  roles: ProcedureRole[];
  text: string;
  evidence: ProcedureEvidence;
}

const start = (minutes: number) => ({ from: 'start' as const, minutes });
const end = (minutes: number) => ({ from: 'end' as const, minutes });

export const ROOM_PROCEDURE: readonly ProcedureStep[] = [
  { no: 1, due: start(-90), roles: ['chief', 'technician'], text: '主考、机房管理员及其他相关人员到达考试现场，明确职责，佩戴工作证件', evidence: 'recorded' },
  { no: 2, due: start(-90), roles: ['technician'], text: '开启考场所有计算机，考试机进入等待登录界面', evidence: 'machines_online' },
  { no: 3, due: start(-60), roles: ['proctor'], text: '监考员到位，下发演算用纸和演算用笔', evidence: 'recorded' },
  { no: 4, due: start(-60), roles: ['proctor'], text: '检查考场，准备签到设备，等待考生入场', evidence: 'recorded' },
  { no: 5, due: start(-30), roles: ['proctor'], text: '组织考生有序入场，签到并核对身份', evidence: 'identity_checked' },
  { no: 6, due: start(-30), roles: ['candidate'], text: '考生对号入座，证件放置于桌面上方', evidence: 'recorded' },
  { no: 7, due: start(-30), roles: ['candidate'], text: '考生登录考试软件', evidence: 'logged_in' },
  { no: 8, due: start(-30), roles: ['candidate'], text: '考生阅读《重要提示》', evidence: 'logged_in' },
  { no: 9, due: start(-10), roles: ['proctor'], text: '宣读《考生须知》', evidence: 'recorded' },
  { no: 10, due: start(-10), roles: ['proctor'], text: '在考试管理机上关注考生登录状态', evidence: 'logged_in' },
  { no: 11, due: start(0), roles: ['proctor'], text: '宣布考试开始，提醒考生开始答题', evidence: 'started' },
  { no: 12, due: start(0), roles: ['proctor'], text: '在考试管理机上关注考试状态', evidence: 'started' },
  { no: 13, due: start(0), roles: ['proctor'], text: '逐一核对考生本人、证件照片与考试软件中的照片、姓名、准考证号', evidence: 'identity_rechecked' },
  { no: 14, due: end(-10), roles: ['proctor'], text: '考试结束前 10 分钟提醒考生控制答题时间', evidence: 'recorded' },
  { no: 15, due: end(0), roles: ['system'], text: '考试结束，系统自动结束考试并加密回收答题数据', evidence: 'ended' },
  { no: 16, due: end(0), roles: ['proctor'], text: '核查考生答题信息，核查无误后上传考试数据', evidence: 'verified' },
  { no: 17, due: end(5), roles: ['proctor'], text: '组织考生有序离场', evidence: 'recorded' },
];

export type ProcedureState = 'done' | 'due' | 'late' | 'upcoming';

/** A step counts as late once 15 minutes past due and not done. */
const LATE_AFTER_MIN = 15;

export function procedureDueAt(step: ProcedureStep, timeline: RoomTimeline, latestEndAt: Date = timeline.scheduledEndAt): Date {
  const base = step.due.from === 'start' ? timeline.startsAt : latestEndAt;
  return new Date(base.getTime() + step.due.minutes * 60_000);
}

/** Upcoming before its time, due from then, late 15 minutes after; done whenever its evidence is there. */
export function procedureState(dueAt: Date, done: boolean, now: Date): ProcedureState {
  if (done) return 'done';
  if (now < dueAt) return 'upcoming';
  return now.getTime() - dueAt.getTime() >= LATE_AFTER_MIN * 60_000 ? 'late' : 'due';
}
