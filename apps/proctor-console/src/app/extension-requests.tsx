import type { ExtensionRequest } from '@kaowu/contracts';
import { formatClock } from '@kaowu/ui';
import { Tag } from 'antd';
import { useT } from './messages';

const COLOR = { pending: 'gold', approved: 'green', rejected: 'red' } as const;

export function ExtensionStatusTag({ request }: { request: ExtensionRequest }) {
  const t = useT();
  return <Tag color={COLOR[request.status]}>{t(`extension.status.${request.status}`)}</Tag>;
}

/** The room's 补时 requests above the threshold, as the proctors see them: who, how long, the 主考's answer. */
export function RoomExtensionRequests({ requests }: { requests: readonly ExtensionRequest[] }) {
  const t = useT();
  if (requests.length === 0) return null;
  return (
    <section className="extension-requests" aria-label={t('extension.title')} data-testid="extension-requests">
      <h2>{t('extension.title')}</h2>
      <ul>
        {requests.map((r) => (
          <li key={r.requestId}>
            <ExtensionStatusTag request={r} />
            {t('extension.line', { seat: r.seatNo, name: r.candidateName, minutes: r.minutes, time: formatClock(r.requestedAt) })}
            {r.decisionNote ? <span className="muted">{t('extension.note', { note: r.decisionNote })}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
