import type { AllocationSummary, RoomFillRow } from '@kaowu/contracts';
import { Alert, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { formatDateTime } from '@kaowu/ui';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { fetchAllocation, runAllocation } from '../provincial-api';
import { useErrorText } from '../error-text';
import { FillRateChart } from './fill-rate-chart';
import { exportUrls } from '../planning-admin-api';
import { ExportButton } from './export-button';

type Unplaced = AllocationSummary['unplaced'][number];

/** 网上编排考场: run the allocation, read its report — fill rates, staffing, the unplaced with the reason. */
export function AllocationPage({ sittingCode, canRun }: { sittingCode: string; canRun: boolean }) {
  const t = useT();
  const [report, setReport] = useState<AllocationSummary | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const message = useErrorText();

  useEffect(() => {
    let live = true;
    fetchAllocation(sittingCode)
      .then((r) => live && (setReport(r), setLoaded(true)))
      .catch((e: unknown) => live && setError(message(e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the message language follows on the next load
  }, [sittingCode]);

  const run = async () => {
    setBusy(true);
    try {
      setReport(await runAllocation(sittingCode));
      setError(null);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center">
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('allocation.title')}
        </Typography.Title>
        {canRun && (
          <Button type="primary" loading={busy} onClick={() => void run()}>
            {t('allocation.run')}
          </Button>
        )}
        {report && <Typography.Text type="secondary">{t('allocation.runAt', { time: formatDateTime(report.runAt) })}</Typography.Text>}
      </Space>
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      {loaded && !report && <Typography.Paragraph type="secondary">{t('allocation.none')}</Typography.Paragraph>}
      {report && (
        <>
          <Row gutter={16}>
            {(
              [
                ['allocation.candidates', report.candidates],
                ['allocation.placements', report.placements],
                ['allocation.kept', report.kept],
                ['allocation.moved', report.moved],
                ['allocation.unplacedCount', report.unplaced.length],
              ] as const
            ).map(([key, value]) => (
              <Col key={key} span={4}>
                <Card size="small">
                  <Statistic title={t(key)} value={value} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card>
            <FillRateChart rooms={report.rooms} title={t('allocation.chart')} />
          </Card>
          <Card title={t('allocation.rooms')} extra={<ExportButton path={exportUrls.placements(sittingCode)} fallbackName={`编排结果-${sittingCode}.xlsx`} label={t('allocation.exportPlacements')} />}>
            <Table<RoomFillRow>
              size="small"
              rowKey={(r) => `${r.batchCode}/${r.venueCode}/${r.roomCode}`}
              dataSource={report.rooms}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[
                { title: t('allocation.batch'), dataIndex: 'batchCode' },
                { title: t('allocation.venue'), dataIndex: 'venueCode' },
                { title: t('allocation.room'), dataIndex: 'roomCode' },
                { title: t('allocation.seats'), dataIndex: 'seats', align: 'right' },
                { title: t('allocation.spares'), dataIndex: 'spares', align: 'right' },
                { title: t('allocation.capacity'), dataIndex: 'capacity', align: 'right' },
                { title: t('allocation.placed'), dataIndex: 'placed', render: (p: Record<string, number>) => Object.entries(p).map(([s, n]) => `${s} ${n}`).join(' · ') },
                { title: t('allocation.fillRate'), dataIndex: 'fillRate', align: 'right', sorter: (a, b) => a.fillRate - b.fillRate, render: (f: number) => `${(f * 100).toFixed(1)}%` },
                { title: t('allocation.proctors'), render: (_, r) => `${r.proctorsRequired.min}–${r.proctorsRequired.max} / ${r.proctorsAssigned ?? '—'}` },
                { title: t('allocation.staffing'), dataIndex: 'staffing', render: (s: RoomFillRow['staffing']) => <Tag color={s === 'ok' ? 'green' : 'orange'}>{t(`staffing.${s}`)}</Tag> },
              ]}
            />
          </Card>
          <Card title={`${t('allocation.unplaced')}（${report.unplaced.length}）`} extra={<ExportButton path={exportUrls.unplaced(sittingCode)} fallbackName={`未编排考生-${sittingCode}.xlsx`} />}>
            <Table<Unplaced>
              size="small"
              aria-label={t('allocation.unplaced')}
              rowKey={(u) => `${u.idNo}/${u.subjectCode ?? ''}`}
              dataSource={report.unplaced}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[
                { title: t('registrants.idNo'), dataIndex: 'idNo' },
                { title: t('registrants.name'), dataIndex: 'name' },
                { title: t('registrants.region'), dataIndex: 'region' },
                { title: t('allocation.subject'), dataIndex: 'subjectCode', render: (s?: string) => s ?? '—' },
                { title: t('allocation.reason'), dataIndex: 'reason', render: (r: string) => (t(`reason.${r}` as never) === `reason.${r}` ? r : t(`reason.${r}` as never)) },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
