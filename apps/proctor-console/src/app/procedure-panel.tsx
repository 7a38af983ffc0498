import type { ProcedureStepView, RoomProcedure } from '@kaowu/contracts';
import { formatClock, useLanguage } from '@kaowu/ui';
import { Alert, Button, List, Space, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useT } from './messages';
import type { ProctorRoom, UiError } from './proctor-room';

const STATE_COLOR: Record<ProcedureStepView['state'], string> = { done: 'green', due: 'blue', late: 'red', upcoming: 'default' };
const REFRESH_MS = 15_000;

/**
 * 考试操作规程: the work plan's 17 steps with the server time each is due, who does it, and whether
 * it is done. A person's step has a button that records it (actor and time, audited); the rest are
 * confirmed by the venue when it sees them happen. `phase` refreshes the list when the room moves on.
 */
export function ProcedurePanel({ room, phase }: { room: ProctorRoom; phase: string }) {
  const t = useT();
  const { lang } = useLanguage();
  const [view, setView] = useState<RoomProcedure | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const show = useCallback((r: { ok: true; data: RoomProcedure } | { ok: false; error: UiError }) => {
    if (r.ok) {
      setView(r.data);
      setError(null);
    } else setError(r.error);
  }, []);
  useEffect(() => {
    const load = () => void room.procedure().then(show);
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [room, show, phase]);

  if (!view) return error ? <Alert type="error" showIcon title={lang === 'en' ? error.messageEn : error.message} /> : <p className="hint">{t('verify.loading')}</p>;
  const now = view.steps.filter((s) => s.state === 'due' || s.state === 'late');
  return (
    <section className="procedure" aria-label={t('procedure.title')}>
      <Alert
        type={now.some((s) => s.state === 'late') ? 'warning' : 'info'}
        showIcon
        role="status"
        data-testid="procedure-now"
        title={now.length > 0 ? t('procedure.now', { steps: now.map((s) => s.no).join('、') }) : t('procedure.nothingDue')}
      />
      {error ? <Alert type="error" showIcon className="refusal" title={lang === 'en' ? error.messageEn : error.message} /> : null}
      <List<ProcedureStepView>
        dataSource={view.steps}
        renderItem={(s) => (
          <List.Item data-testid={`step-${s.no}`} className={`step is-${s.state}`}>
            <List.Item.Meta
              title={
                <Space wrap>
                  <span className="step-no">{s.no}</span>
                  <span>{s.text}</span>
                </Space>
              }
              description={
                <Space wrap>
                  <span>{t('procedure.due', { time: formatClock(s.dueAt) })}</span>
                  <span>{s.roles.map((r) => t(`procedure.role.${r}`)).join('、')}</span>
                  {s.done ? <span>{t('procedure.doneBy', { by: s.done.by === 'system' ? t('procedure.system') : s.done.by, time: formatClock(s.done.at) })}</span> : null}
                </Space>
              }
            />
            <Space>
              <Tag color={STATE_COLOR[s.state]}>{t(`procedure.state.${s.state}`)}</Tag>
              {s.recordable && !s.done ? (
                <Button size="small" onClick={() => void room.recordStep(s.no).then(show)}>
                  {t('procedure.record')}
                </Button>
              ) : null}
            </Space>
          </List.Item>
        )}
      />
    </section>
  );
}
