import { createTranslator, useTranslate } from '@kaowu/ui';

const zh = {
  'page.title': '成绩与回收状态',
  'page.refresh': '刷新',
  'page.loading': '加载中…',
  'page.updatedAt': '更新于 {time}',
  'page.loadFailed': '加载失败：{message}',
  'intake.title': '考场数据回收',
  'intake.venue': '考点',
  'intake.room': '考场',
  'intake.session': '场次',
  'intake.package': '包号',
  'intake.receivedAt': '接收时间',
  'intake.attempts': '考生数',
  'intake.answers': '作答数',
  'intake.empty': '尚未收到考场数据包',
  'scores.title': '客观题成绩',
  'scores.ticketNo': '准考证号',
  'scores.name': '姓名',
  'scores.session': '场次',
  'scores.objective': '客观题得分',
  'scores.answered': '作答题数',
  'scores.empty': '暂无成绩',
} as const;

type Key = keyof typeof zh;

const en: Partial<Record<Key, string>> = {
  'page.title': 'Scores and intake',
  'page.refresh': 'Refresh',
  'page.loading': 'Loading…',
  'page.updatedAt': 'Updated {time}',
  'page.loadFailed': 'Loading failed: {message}',
  'intake.title': 'Room packages received',
  'intake.venue': 'Venue',
  'intake.room': 'Room',
  'intake.session': 'Session',
  'intake.package': 'Package',
  'intake.receivedAt': 'Received',
  'intake.attempts': 'Candidates',
  'intake.answers': 'Answers',
  'intake.empty': 'No room package received yet',
  'scores.title': 'Objective scores',
  'scores.ticketNo': 'Ticket no.',
  'scores.name': 'Name',
  'scores.session': 'Session',
  'scores.objective': 'Objective score',
  'scores.answered': 'Answered',
  'scores.empty': 'No scores yet',
};

export const tr = createTranslator<Key>({ 'zh-CN': zh, en });
export const useT = () => useTranslate(tr);
