import type { SeatStatus } from '@kaowu/contracts';
import { t as common, type Lang } from '@kaowu/ui';

/** Colour family of a seat's state, shared by the tile border and the status tag. */
export type SeatTone = 'idle' | 'ready' | 'answering' | 'paused' | 'done' | 'absent' | 'empty';

export function seatTone(seat: SeatStatus): SeatTone {
  if (!seat.candidate) return 'empty';
  if (seat.paused) return 'paused';
  switch (seat.status) {
    case 'not_logged_in':
      return 'idle';
    case 'logged_in':
      return 'ready';
    case 'in_progress':
      return 'answering';
    case 'submitted':
    case 'ended':
      return 'done';
    case 'absent':
      return 'absent';
  }
}

/** 未登录 / 已登录 / 答题中 / 已交卷 / 已结束 / 缺考, or 暂停 while the candidate's clock is stopped. */
export function seatStatusLabel(seat: SeatStatus, lang: Lang): string {
  if (seat.paused) return lang === 'en' ? 'Paused' : '暂停';
  return common(`status.${seat.status}`, lang);
}

/** An attempt a proctor can still act on: logged in once, not handed in or ended. */
export const isActionable = (seat: SeatStatus): boolean => !!seat.attemptId && (seat.status === 'logged_in' || seat.status === 'in_progress');
