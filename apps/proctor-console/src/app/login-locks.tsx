import type { RoomSeatsPush } from '@kaowu/contracts';
import { formatClock } from '@kaowu/ui';
import { Alert, App as AntApp, Button, Input, Space } from 'antd';
import { useState } from 'react';
import { ErrorLine } from './error-line';
import { useT } from './messages';
import type { ProctorRoom, UiError } from './proctor-room';

type Lock = NonNullable<RoomSeatsPush['loginLocks']>[number];

/**
 * 登录锁定: tickets of the room locked after repeated failed logins (someone guessing, or a candidate
 * mistyping their ID number). The proctor checks the candidate's documents, then lifts the lock with
 * a reason; the venue logs who did it.
 */
export function LoginLocks({ locks, room }: { locks: readonly Lock[]; room: ProctorRoom }) {
  const t = useT();
  if (locks.length === 0) return null;
  return (
    <section className="login-locks" aria-label={t('locks.title')} data-testid="login-locks">
      <Alert
        type="warning"
        showIcon
        role="alert"
        message={t('locks.title')}
        description={
          <ul>
            {locks.map((l) => (
              <LockLine key={l.ticketNo} lock={l} room={room} />
            ))}
          </ul>
        }
      />
    </section>
  );
}

function LockLine({ lock, room }: { lock: Lock; room: ProctorRoom }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const who = lock.candidateName ? t('locks.who', { name: lock.candidateName, seat: lock.seatNo ?? '—' }) : '';
  return (
    <li>
      {t('locks.line', { ticket: lock.ticketNo, who, until: formatClock(lock.lockedUntil) })}
      <Space.Compact>
        <Input aria-label={t('locks.reason', { ticket: lock.ticketNo })} placeholder={t('locks.reasonPlaceholder')} value={reason} onChange={(e) => setReason(e.target.value)} />
        <Button
          loading={busy}
          onClick={async () => {
            setBusy(true);
            const r = await room.resetLoginLock({ ticketNo: lock.ticketNo, reason });
            setBusy(false);
            if (!r.ok) return setError(r.error);
            setError(null);
            void message.success(t('locks.lifted', { ticket: lock.ticketNo }));
          }}
        >
          {t('locks.lift')}
        </Button>
      </Space.Compact>
      <ErrorLine error={error} />
    </li>
  );
}
