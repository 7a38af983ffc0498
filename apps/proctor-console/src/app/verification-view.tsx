import type { Anomaly, RoomVerification, VerificationRow } from '@kaowu/contracts';
import { formatClock, useLanguage } from '@kaowu/ui';
import { Alert, App as AntApp, Button, Card, Form, Input, List, Progress, Space, Statistic, Table, Tag } from 'antd';

const REFRESH_MS = 3_000;
import { useCallback, useEffect, useState } from 'react';
import { useT } from './messages';
import type { ProctorRoom, UiError } from './proctor-room';

/**
 * 核查考生答题信息 (work plan step 16): expected vs logged in vs handed in, each candidate's answered
 * count, and the anomalies a proctor must look at and acknowledge before confirming the room.
 */
export function VerificationView({ room }: { room: ProctorRoom }) {
  const t = useT();
  const { lang } = useLanguage();
  const { modal, message } = AntApp.useApp();
  const [v, setV] = useState<RoomVerification | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const show = useCallback((r: { ok: true; data: RoomVerification } | { ok: false; error: UiError }) => {
    if (r.ok) {
      setV(r.data);
      setError(null);
    } else setError(r.error);
    return r.ok;
  }, []);
  const refresh = useCallback(() => void room.verification().then(show), [room, show]);
  useEffect(refresh, [refresh]);
  // until the province's receipt is in, follow the sealing and the upload
  const uploaded = v?.upload?.state === 'uploaded';
  useEffect(() => {
    if (uploaded) return;
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [uploaded, refresh]);

  const confirm = () =>
    modal.confirm({
      title: t('verify.confirmTitle'),
      content: t('verify.confirm'),
      okText: t('action.confirm'),
      cancelText: t('action.cancel'),
      onOk: async () => {
        if (show(await room.confirmRoom())) void message.success(t('verify.done'));
      },
    });

  const printReport = async () => {
    const r = await room.roomReport();
    if (!r.ok) return setError(r.error);
    const url = URL.createObjectURL(r.data);
    const link = document.createElement('a');
    link.href = url;
    link.download = `考场情况报告-${v?.roomCode ?? ''}.pdf`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  if (!v) return error ? <Alert type="error" showIcon title={lang === 'en' ? error.messageEn : error.message} /> : <p className="hint">{t('verify.loading')}</p>;
  const open = v.anomalies.filter((a) => !a.acknowledged).length;
  return (
    <section className="verification" aria-label={t('verify.title')}>
      <Space size="large" wrap className="verification-counts">
        <Statistic title={t('count.expected')} value={v.expected} />
        <Statistic title={t('count.loggedIn')} value={v.loggedIn} />
        <Statistic title={t('verify.submitted')} value={v.submitted} />
        <Statistic title={t('verify.ended')} value={v.ended} />
        <Statistic title={t('count.absent')} value={v.absent} />
        <Statistic title={t('verify.incidents')} value={v.incidents.length} />
      </Space>
      {v.confirmed ? (
        <Alert type="success" showIcon role="status" data-testid="verification-confirmed" title={t('verify.confirmed', { by: v.confirmed.by, at: formatClock(v.confirmed.at) })} />
      ) : (
        <Alert
          type={v.canConfirm ? 'info' : 'warning'}
          showIcon
          role="status"
          data-testid="verification-state"
          title={v.canConfirm ? t('verify.ready') : t('verify.blocked', { count: open })}
          action={
            <Button type="primary" disabled={!v.canConfirm} onClick={confirm}>
              {t('verify.submit')}
            </Button>
          }
        />
      )}
      {error ? <Alert type="error" showIcon className="refusal" title={lang === 'en' ? error.messageEn : error.message} /> : null}
      <UploadCard upload={v.upload} autoSealAt={v.confirmed ? null : (v.autoSealAt ?? null)} />
      <Space>
        <Button onClick={() => void printReport()}>{t('verify.report')}</Button>
        <span className="hint">{t('verify.reportHint')}</span>
      </Space>
      <h2>{t('verify.anomalies', { count: v.anomalies.length })}</h2>
      <List<Anomaly>
        className="anomalies"
        dataSource={v.anomalies}
        locale={{ emptyText: t('verify.noAnomalies') }}
        renderItem={(a) => (
          <List.Item data-testid={`anomaly-${a.anomalyId}`}>
            <List.Item.Meta
              title={
                <Space>
                  <Tag color={a.acknowledged ? 'default' : a.kind === 'still_answering' ? 'blue' : 'orange'}>{t(`anomaly.${a.kind}`)}</Tag>
                  {a.candidateName ? `${a.seatNo} 号 · ${a.candidateName}（${a.ticketNo}）` : null}
                </Space>
              }
              description={a.acknowledged ? `${a.detail} · ${t('verify.acked', { by: a.acknowledged.by, note: a.acknowledged.note })}` : a.detail}
            />
            {!a.acknowledged && a.kind !== 'still_answering' ? <AcknowledgeForm anomaly={a} onDone={(r) => show(r)} room={room} /> : null}
          </List.Item>
        )}
      />
      <h2>{t('verify.candidates')}</h2>
      <Table<VerificationRow>
        size="small"
        rowKey="ticketNo"
        pagination={false}
        dataSource={v.rows}
        columns={[
          { title: t('verify.seat'), dataIndex: 'seatNo', width: 70 },
          { title: t('detail.candidate'), dataIndex: 'name' },
          { title: t('detail.ticketNo'), dataIndex: 'ticketNo' },
          { title: t('detail.status'), dataIndex: 'status', render: (s: VerificationRow['status']) => t(`verify.status.${s}`) },
          { title: t('verify.identity'), dataIndex: 'identity', render: (s: VerificationRow['identity']) => t(`verify.identity.${s}`) },
          { title: t('detail.progress'), key: 'answered', render: (_, r) => `${r.answered}/${r.total}` },
          { title: t('verify.incidents'), dataIndex: 'incidents', width: 80 },
        ]}
      />
    </section>
  );
}

/**
 * 封存上传: sealed once the proctors confirm (or at the end of the grace), uploaded in chunks, done
 * when the province's signed receipt is in.
 */
function UploadCard({ upload, autoSealAt }: { upload: RoomVerification['upload']; autoSealAt: string | null }) {
  const t = useT();
  if (!upload && autoSealAt)
    return <Alert type="warning" showIcon role="status" data-testid="upload-state" title={t('upload.awaitingConfirmation', { time: formatClock(autoSealAt) })} />;
  if (!upload) return <Alert type="info" showIcon role="status" data-testid="upload-state" title={t('upload.waiting')} />;
  const percent = upload.totalBytes ? Math.floor((upload.confirmedBytes / upload.totalBytes) * 100) : 0;
  return (
    <Card size="small" title={t('upload.title')} data-testid="upload-state" className="upload-card">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Tag color={upload.state === 'uploaded' ? 'green' : upload.state === 'refused' || upload.atRisk ? 'red' : 'blue'}>{t(`upload.state.${upload.state}`)}</Tag>
          <span>{t('upload.sealedAt', { time: formatClock(upload.sealedAt) })}</span>
          {upload.deadlineAt && upload.state !== 'uploaded' ? <span>{t('upload.deadline', { time: formatClock(upload.deadlineAt) })}</span> : null}
        </Space>
        {upload.state !== 'uploaded' ? <Progress percent={upload.state === 'sealed' ? 0 : percent} status={upload.state === 'refused' ? 'exception' : 'active'} /> : null}
        {upload.receipt ? (
          <span data-testid="upload-receipt">
            {t('upload.receipt', { id: upload.receipt.packageId, count: upload.receipt.attemptsImported, time: upload.receipt.receivedAt ? formatClock(upload.receipt.receivedAt) : '' })}
          </span>
        ) : null}
        {upload.lastError && upload.state !== 'uploaded' ? <span className="hint">{t('upload.lastError', { error: upload.lastError })}</span> : null}
      </Space>
    </Card>
  );
}

function AcknowledgeForm({ room, anomaly, onDone }: { room: ProctorRoom; anomaly: Anomaly; onDone: (r: { ok: true; data: RoomVerification } | { ok: false; error: UiError }) => void }) {
  const t = useT();
  const [form] = Form.useForm<{ note: string }>();
  return (
    <Form form={form} layout="inline" name={`ack-${anomaly.anomalyId}`} onFinish={(v) => void room.acknowledgeAnomaly({ anomalyId: anomaly.anomalyId, note: v.note.trim() }).then(onDone)}>
      <Form.Item name="note" rules={[{ required: true, whitespace: true, min: 2, message: t('verify.noteRequired') }]}>
        <Input placeholder={t('verify.notePlaceholder')} aria-label={t('verify.note')} maxLength={500} />
      </Form.Item>
      <Button htmlType="submit">{t('verify.ack')}</Button>
    </Form>
  );
}
