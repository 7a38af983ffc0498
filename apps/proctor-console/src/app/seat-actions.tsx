import { EXTENSION_APPROVAL_THRESHOLD_MINUTES, MAX_EXTENSION_MINUTES, type ExtendAck, type MoveSeatAck, type SeatStatus } from '@kaowu/contracts';
import { formatClock } from '@kaowu/ui';
import { Alert, App as AntApp, Form, InputNumber, Radio } from 'antd';
import { ActionForm, type ReasonValues } from './action-form';
import { useT } from './messages';
import type { ProctorRoom } from './proctor-room';
import { spareSeats } from './seat-filter';

type Candidate = NonNullable<SeatStatus['candidate']>;
interface SeatActionProps {
  room: ProctorRoom;
  seat: SeatStatus & { attemptId: string; candidate: Candidate };
}

function useWho(seat: SeatActionProps['seat']) {
  const t = useT();
  return t('action.who', { name: seat.candidate.name, ticketNo: seat.candidate.ticketNo, no: seat.seatNo });
}

/** 换机: to a free spare seat of the room; the server answers with the credit the login there will bring. */
export function MoveSeatForm({ room, seat, seats, onMoved }: SeatActionProps & { seats: readonly SeatStatus[]; onMoved: (ack: MoveSeatAck) => void }) {
  const t = useT();
  const who = useWho(seat);
  const spares = spareSeats(seats).filter((s) => s.seatNo !== seat.seatNo);
  if (spares.length === 0) return <Alert type="warning" role="status" showIcon title={t('move.noSpare')} />;
  return (
    <>
      <p className="hint">{t('move.hint')}</p>
      <ActionForm<ReasonValues & { toSeatNo: number }, MoveSeatAck>
        name="move"
        submitLabel={t('move.submit')}
        confirm={(v) => ({ title: t('move.confirmTitle'), content: t('move.confirm', { who, to: v.toSeatNo }) })}
        run={(v) => room.moveSeat({ attemptId: seat.attemptId, toSeatNo: v.toSeatNo, reason: v.reason })}
        onDone={onMoved}
      >
        <Form.Item name="toSeatNo" label={t('move.to')} rules={[{ required: true, message: t('move.toRequired') }]}>
          <Radio.Group
            optionType="button"
            options={spares.map((s) => ({ value: s.seatNo, label: `${t('seat.no', { no: s.seatNo })}${s.machineOnline ? '' : ` · ${t('seat.offline')}`}` }))}
          />
        </Form.Item>
      </ActionForm>
    </>
  );
}

/** The outcome of a 换机, kept in view until the drawer closes: where to log in, what will be credited. */
export function MoveSeatResult({ ack }: { ack: MoveSeatAck }) {
  const t = useT();
  return (
    <Alert
      type="success"
      role="status"
      showIcon
      className="move-result"
      data-testid="move-result"
      title={t('move.done', { to: ack.toSeatNo, minutes: ack.creditIfLoggedInNow })}
      description={ack.lastSeenAt ? t('move.lastSeen', { time: formatClock(ack.lastSeenAt) }) : t('move.lastSeenUnknown')}
    />
  );
}

/** 补时: 1–30 minutes per action; above the threshold the minutes wait for the 主考's approval. */
export function ExtendTimeForm({ room, seat }: SeatActionProps) {
  const t = useT();
  const who = useWho(seat);
  const { message } = AntApp.useApp();
  return (
    <ActionForm<ReasonValues & { minutes: number }, ExtendAck>
      name="extend"
      submitLabel={t('extend.submit')}
      confirm={(v) => ({
        title: t('extend.confirmTitle'),
        content: v.minutes > EXTENSION_APPROVAL_THRESHOLD_MINUTES ? t('extend.confirmApproval', { who, minutes: v.minutes }) : t('extend.confirm', { who, minutes: v.minutes }),
      })}
      run={(v) => room.extend({ attemptId: seat.attemptId, minutes: v.minutes, reason: v.reason })}
      onDone={(ack) => {
        if (ack.status === 'pending') return void message.info(t('extend.pending', { name: seat.candidate.name, minutes: ack.request.minutes }));
        const push = ack.time;
        void message.success(t('extend.done', { name: seat.candidate.name, minutes: push.minutes, total: push.creditedMinutes, endsAt: formatClock(push.endsAt) }));
      }}
    >
      <Form.Item
        name="minutes"
        label={t('extend.minutes')}
        extra={t('extend.threshold', { minutes: EXTENSION_APPROVAL_THRESHOLD_MINUTES })}
        rules={[{ required: true, type: 'integer', min: 1, max: MAX_EXTENSION_MINUTES, message: t('extend.minutesRequired', { max: MAX_EXTENSION_MINUTES }) }]}
      >
        <InputNumber min={1} max={MAX_EXTENSION_MINUTES} precision={0} />
      </Form.Item>
    </ActionForm>
  );
}

/** 暂停 / 恢复 one candidate: which one depends on whether the candidate is paused now. */
export function PauseResumeForm({ room, seat }: SeatActionProps) {
  const t = useT();
  const who = useWho(seat);
  const { message } = AntApp.useApp();
  const paused = !!seat.paused;
  return (
    <ActionForm<ReasonValues, { attempts: { minutes: number }[] }>
      key={paused ? 'resume' : 'pause'}
      name={paused ? 'resume' : 'pause'}
      danger={!paused}
      submitLabel={t(paused ? 'resume.submit' : 'pause.submit')}
      confirm={() => (paused ? { title: t('resume.confirmTitle'), content: t('resume.confirm', { who }) } : { title: t('pause.confirmTitle'), content: t('pause.confirm', { who }) })}
      run={(v) => (paused ? room.resume({ attemptId: seat.attemptId, reason: v.reason }) : room.pause({ attemptId: seat.attemptId, reason: v.reason }))}
      onDone={(ack) => {
        const name = seat.candidate.name;
        void message.success(paused ? t('resume.done', { name, minutes: ack.attempts[0]?.minutes ?? 0 }) : t('pause.done', { name }));
      }}
    />
  );
}
