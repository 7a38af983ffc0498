import { createTranslator, useTranslate } from '@kaowu/ui';

const zh = {
  'app.title': '监考控制台',
  'join.title': '进入考场',
  'join.roomCode': '考场号',
  'join.accessCode': '监考口令',
  'join.submit': '进入考场',
  'join.busy': '正在进入…',
  'room.code': '（{code}）',
  'room.session': '场次',
  'room.phase': '考试状态',
  'room.serverTime': '服务器时间',
  'count.label': '统计',
  'count.expected': '应到',
  'count.loggedIn': '已登录',
  'count.handedIn': '已交卷',
  'count.absent': '缺考',
  'count.online': '考试机在线',
  'seat.no': '{no} 号',
  'seat.empty': '空座',
  'seat.online': '考试机在线',
  'seat.offline': '考试机离线',
  'seat.progress': '作答 {answered}/{total}',
  'seat.lastSave': '最后保存 {time}',
  'seat.neverSaved': '尚未保存',
  'seatMap.label': '座位图',
  'seatMap.front': '讲台',
  'seatMap.empty': '本考场没有座位数据',
} as const;

type Key = keyof typeof zh;

const en: Partial<Record<Key, string>> = {
  'app.title': 'Proctor console',
  'join.title': 'Enter room',
  'join.roomCode': 'Room code',
  'join.accessCode': 'Proctor access code',
  'join.submit': 'Enter room',
  'join.busy': 'Entering…',
  'room.code': ' ({code})',
  'room.session': 'Session',
  'room.phase': 'Phase',
  'room.serverTime': 'Server time',
  'count.label': 'Counts',
  'count.expected': 'Expected',
  'count.loggedIn': 'Logged in',
  'count.handedIn': 'Handed in',
  'count.absent': 'Absent',
  'count.online': 'Machines online',
  'seat.no': 'Seat {no}',
  'seat.empty': 'Empty',
  'seat.online': 'Machine online',
  'seat.offline': 'Machine offline',
  'seat.progress': 'Answered {answered}/{total}',
  'seat.lastSave': 'Last save {time}',
  'seat.neverSaved': 'Nothing saved',
  'seatMap.label': 'Seat map',
  'seatMap.front': 'Front',
  'seatMap.empty': 'No seats in this room',
};

export const tr = createTranslator<Key>({ 'zh-CN': zh, en });
export const useT = () => useTranslate(tr);
