import { Card, Statistic } from 'antd';
import { useT, type MessageKey } from './messages';
import type { RoomCounts } from './room-counts';

const SHOWN: readonly [keyof RoomCounts, MessageKey][] = [
  ['expected', 'count.expected'],
  ['loggedIn', 'count.loggedIn'],
  ['answering', 'count.answering'],
  ['paused', 'count.paused'],
  ['handedIn', 'count.handedIn'],
  ['absent', 'count.absent'],
  ['flagged', 'count.flagged'],
  ['machinesOnline', 'count.online'],
];

/** The room at a glance: 应到, 已登录, 答题中, 暂停, 已交卷, 缺考, 有异常, 在线考试机. */
export function RoomSummary({ counts }: { counts: RoomCounts }) {
  const t = useT();
  return (
    <ul className="counters" aria-label={t('count.label')}>
      {SHOWN.map(([key, label]) => (
        <li key={key}>
          <Card size="small" className={`counter counter-${key}`}>
            <Statistic title={t(label)} value={counts[key]} valueRender={(node) => <span aria-label={t(label)}>{node}</span>} />
          </Card>
        </li>
      ))}
    </ul>
  );
}
