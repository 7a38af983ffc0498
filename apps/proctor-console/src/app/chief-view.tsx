import type { ExtensionRequest, ChiefRoomOverview, ChiefOverview } from '@kaowu/contracts';
import { formatClock, t as common, useLanguage } from '@kaowu/ui';
import { App as AntApp, Button, Card, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { ErrorLine } from './error-line';
import { ExtensionStatusTag } from './extension-requests';
import { useT } from './messages';
import type { ProctorRoom, UiError } from './proctor-room';

/** 考点总览 for the 主考: every room live, open any room, decide 补时 requests above the threshold. */
export function ChiefView({ overview, room }: { overview: ChiefOverview; room: ProctorRoom }) {
  const t = useT();
  const { lang } = useLanguage();
  const [openError, setOpenError] = useState<UiError | null>(null);
  const pending = overview.extensionRequests.filter((r) => r.status === 'pending');
  const decided = overview.extensionRequests.filter((r) => r.status !== 'pending');
  return (
    <main className="chief">
      <section className="room-header">
        <h1>
          {overview.venueName}
          <small>{t('chief.title')}</small>
        </h1>
        <dl>
          <dt>{t('room.session')}</dt>
          <dd>{overview.sessionId ?? '—'}</dd>
          <dt>{t('room.phase')}</dt>
          <dd data-testid="phase">{overview.phase ? common(`phase.${overview.phase}`, lang) : '—'}</dd>
        </dl>
      </section>
      <ErrorLine error={openError} />
      <Card title={t('chief.approvals', { count: pending.length })} className="approvals" data-testid="approvals">
        {pending.length === 0 ? <Typography.Text type="secondary">{t('chief.noPending')}</Typography.Text> : null}
        {pending.map((r) => (
          <PendingRequest key={r.requestId} request={r} room={room} />
        ))}
        {decided.length > 0 ? (
          <ul className="decided">
            {decided.map((r) => (
              <li key={r.requestId}>
                <ExtensionStatusTag request={r} />
                {t('chief.decidedLine', { room: r.roomCode, seat: r.seatNo, name: r.candidateName, minutes: r.minutes, note: r.decisionNote ?? '' })}
              </li>
            ))}
          </ul>
        ) : null}
      </Card>
      <Table<ChiefRoomOverview>
        className="rooms-table"
        rowKey="roomCode"
        size="middle"
        pagination={false}
        dataSource={overview.rooms}
        columns={[
          { title: t('chief.room'), render: (_, r) => `${r.name}（${r.roomCode}）` },
          { title: t('count.expected'), dataIndex: 'expected', align: 'right' },
          { title: t('count.loggedIn'), dataIndex: 'loggedIn', align: 'right' },
          { title: t('count.answering'), dataIndex: 'answering', align: 'right' },
          { title: t('count.handedIn'), dataIndex: 'submitted', align: 'right' },
          { title: t('count.absent'), dataIndex: 'absent', align: 'right' },
          { title: t('count.online'), dataIndex: 'machinesOnline', align: 'right' },
          { title: t('chief.incidents'), dataIndex: 'incidents', align: 'right' },
          { title: t('chief.pending'), dataIndex: 'pendingExtensions', align: 'right' },
          {
            title: t('chief.actions'),
            render: (_, r) => (
              <Button
                onClick={async () => {
                  const opened = await room.openRoom(r.roomCode);
                  setOpenError(opened.ok ? null : opened.error);
                }}
              >
                {t('chief.openRoom', { room: r.roomCode })}
              </Button>
            ),
          },
        ]}
      />
    </main>
  );
}

/** One request: who, how long, why; 批准 or 驳回 with the 主考's opinion (required, audited). */
function PendingRequest({ request, room }: { request: ExtensionRequest; room: ProctorRoom }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [deciding, setDeciding] = useState<boolean | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [form] = Form.useForm<{ note: string }>();
  const decide = async () => {
    const { note } = await form.validateFields();
    const done = await room.decideExtension({ requestId: request.requestId, approve: deciding === true, note });
    if (!done.ok) return setError(done.error);
    setDeciding(null);
    void message.success(t(done.data.status === 'approved' ? 'chief.approved' : 'chief.rejected', { name: request.candidateName, minutes: request.minutes }));
  };
  return (
    <div className="pending-request" data-testid={`request-${request.requestId}`}>
      <div>
        <strong>{t('chief.requestLine', { room: request.roomCode, seat: request.seatNo, name: request.candidateName, minutes: request.minutes })}</strong>
        <div className="muted">{t('chief.requestReason', { reason: request.reason, by: request.requestedBy, time: formatClock(request.requestedAt) })}</div>
      </div>
      <Space>
        <Button type="primary" onClick={() => setDeciding(true)}>
          {t('chief.approve')}
        </Button>
        <Button danger onClick={() => setDeciding(false)}>
          {t('chief.reject')}
        </Button>
      </Space>
      <Modal
        open={deciding !== null}
        title={t(deciding ? 'chief.approveTitle' : 'chief.rejectTitle', { name: request.candidateName, minutes: request.minutes })}
        okText={t('action.confirm')}
        cancelText={t('action.cancel')}
        onOk={() => void decide().catch(() => undefined)}
        onCancel={() => setDeciding(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="note" label={t('chief.note')} rules={[{ required: true, min: 2, message: t('chief.noteRequired') }]}>
            <Input.TextArea rows={2} autoFocus />
          </Form.Item>
        </Form>
        <ErrorLine error={error} />
      </Modal>
    </div>
  );
}
