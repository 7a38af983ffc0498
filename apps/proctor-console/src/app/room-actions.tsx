import type { PauseResumeAck } from '@kaowu/contracts';
import { App as AntApp, Button, Modal, Space } from 'antd';
import { useState } from 'react';
import { ActionForm, type ReasonValues } from './action-form';
import { BroadcastAction } from './broadcast-action';
import { useT } from './messages';
import type { ProctorRoom } from './proctor-room';

type RoomAction = 'pause' | 'resume';

/** 全场暂停 / 全场恢复: every candidate answering (or paused) in this room, with one reason. */
export function RoomActions({ room, roomName }: { room: ProctorRoom; roomName: string }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState<RoomAction | null>(null);
  const done = (action: RoomAction, ack: PauseResumeAck) => {
    setOpen(null);
    const count = ack.attempts.length;
    if (count === 0) void message.warning(t(action === 'pause' ? 'room.nonePaused' : 'room.noneResumed'));
    else void message.success(t(action === 'pause' ? 'room.paused' : 'room.resumed', { count }));
  };
  return (
    <Space className="room-actions">
      <BroadcastAction room={room} />
      <Button danger onClick={() => setOpen('pause')}>
        {t('room.pause')}
      </Button>
      <Button onClick={() => setOpen('resume')}>{t('room.resume')}</Button>
      <Modal open={open !== null} title={open ? `${t(open === 'pause' ? 'room.pause' : 'room.resume')} · ${roomName}` : ''} footer={null} onCancel={() => setOpen(null)} destroyOnHidden>
        {open ? (
          <ActionForm<ReasonValues, PauseResumeAck>
            name={`room-${open}`}
            danger={open === 'pause'}
            submitLabel={`${t(open === 'pause' ? 'room.pause' : 'room.resume')}…`}
            confirm={() => ({ title: t(open === 'pause' ? 'room.pause' : 'room.resume'), content: t(open === 'pause' ? 'room.pauseConfirm' : 'room.resumeConfirm') })}
            run={(v) => (open === 'pause' ? room.pause({ reason: v.reason }) : room.resume({ reason: v.reason }))}
            onDone={(ack) => done(open, ack)}
          />
        ) : null}
      </Modal>
    </Space>
  );
}
