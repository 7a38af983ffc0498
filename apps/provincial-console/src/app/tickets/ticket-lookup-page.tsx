import { Alert, Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import { formatDateTime } from '@kaowu/ui';
import { useState } from 'react';
import { useT } from '../messages';
import { ApiError, fetchSeats, fetchTicketPdf, type RegistrantSeats } from '../provincial-api';
import { useErrorText } from '../error-text';

type Seat = RegistrantSeats['seats'][number];

/** 准考证查询与打印: find a candidate by ID number and name, check the seats, open the PDF to print. */
export function TicketLookupPage({ sittingCode }: { sittingCode: string }) {
  const t = useT();
  const [found, setFound] = useState<RegistrantSeats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const message = useErrorText();

  const lookup = async ({ idNo, name }: { idNo: string; name: string }) => {
    setBusy(true);
    setFound(null);
    try {
      const seats = await fetchSeats(sittingCode, idNo.trim().toUpperCase());
      if (seats.name !== name.trim()) throw new ApiError(t('tickets.nameMismatch'), 'ID number and name do not match');
      setFound(seats);
      setError(null);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const open = async () => {
    if (!found) return;
    // Open the tab at once (a popup blocker allows it inside the click), then point it at the PDF.
    const tab = window.open('', '_blank');
    try {
      const pdf = await fetchTicketPdf(sittingCode, found.idNo);
      const url = URL.createObjectURL(pdf);
      if (tab) tab.location.href = url;
      else window.location.href = url;
    } catch (e) {
      tab?.close();
      setError(message(e));
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('tickets.title')}</Typography.Title>
      <Card>
        <Form layout="inline" onFinish={(v: { idNo: string; name: string }) => void lookup(v)}>
          <Form.Item label={t('tickets.idNo')} name="idNo" rules={[{ required: true, pattern: /^[0-9A-Za-z]{6,20}$/, message: '请输入正确的证件号码' }]}>
            <Input style={{ width: 240 }} />
          </Form.Item>
          <Form.Item label={t('tickets.name')} name="name" rules={[{ required: true, message: '请输入姓名' }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('tickets.lookup')}
          </Button>
        </Form>
      </Card>
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      {found && (
        <Card
          title={`${found.name} · ${t('tickets.ticketNo', { ticketNo: found.ticketNo })}`}
          extra={
            <Button type="primary" onClick={() => void open()}>
              {t('tickets.print')}
            </Button>
          }
        >
          <Table<Seat>
            size="small"
            rowKey="subjectCode"
            pagination={false}
            dataSource={found.seats}
            columns={[
              { title: t('allocation.subject'), dataIndex: 'subjectName' },
              { title: t('allocation.batch'), dataIndex: 'batchCode' },
              { title: t('tickets.startsAt'), dataIndex: 'startsAt', render: (s: string) => formatDateTime(s) },
              { title: t('allocation.venue'), dataIndex: 'venueName' },
              { title: t('tickets.address'), dataIndex: 'address' },
              { title: t('allocation.room'), dataIndex: 'roomCode' },
              { title: t('tickets.seat'), dataIndex: 'seatNo' },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
