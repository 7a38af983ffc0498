import type { IntegrityRoom, SignedIntegrityReport } from '@kaowu/contracts';
import { Alert, Button, Card, List, Space, Table, Tag, Typography } from 'antd';
import { formatDateTime, useLanguage } from '@kaowu/ui';
import { useCallback, useEffect, useState } from 'react';
import { fetchIntegrityReport, fetchMinistryExport, errorText } from './after-sitting-api';
import { useAfterSittingT } from './after-sitting-messages';

const STATE_COLOR: Record<IntegrityRoom['state'], string> = { verified: 'green', late: 'gold', missing: 'red', failed: 'red' };
const STATE_ORDER: Record<IntegrityRoom['state'], number> = { missing: 0, failed: 1, late: 2, verified: 3 };

/** Offer a JSON document as a file download. */
function saveJson(value: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

/** 完整性报告: pass or fail at a glance, each check with its reason, every room session, the signed report to download. */
export function IntegrityReportPage({ sittingCode }: { sittingCode: string }) {
  const t = useAfterSittingT();
  const { lang } = useLanguage();
  const [signed, setSigned] = useState<SignedIntegrityReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setSigned(await fetchIntegrityReport(sittingCode));
      setError(null);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setLoading(false);
    }
  }, [sittingCode, lang]);

  useEffect(() => {
    void load();
  }, [load]);

  const [exporting, setExporting] = useState<string | null>(null);
  const exportSession = async (sessionId: string) => {
    setExporting(sessionId);
    try {
      saveJson(await fetchMinistryExport(sessionId), `部级上报-${sessionId}.json`);
      setError(null);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setExporting(null);
    }
  };

  const report = signed?.body;
  const rooms = report ? [...report.rooms].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.problems.length - a.problems.length) : [];
  const ratio = (a: number | null, b: number | null) => (a === null ? '—' : `${a} / ${b}`);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('integrity.title')}
        </Typography.Title>
        <Button onClick={() => void load()} loading={loading}>
          {t('common.refresh')}
        </Button>
        <Button onClick={() => signed && saveJson(signed, `完整性报告-${sittingCode}.json`)} disabled={!signed}>
          {t('integrity.download')}
        </Button>
      </Space>
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      {report && signed && (
        <>
          <Alert
            type={report.passed ? 'success' : 'error'}
            showIcon
            title={<span data-testid="integrity-verdict">{t(report.passed ? 'integrity.passed' : 'integrity.failed')}</span>}
            description={t('integrity.signed', { keyId: signed.signature.keyId, time: formatDateTime(report.generatedAt) })}
          />
          <Card title={t('integrity.checks')}>
            <List
              dataSource={report.checks}
              renderItem={(c) => (
                <List.Item data-testid={`check-${c.code}`}>
                  <Space>
                    <Tag color={c.passed ? 'green' : 'red'}>{c.passed ? `✓ ${t('integrity.pass')}` : `✗ ${t('integrity.fail')}`}</Tag>
                    <Typography.Text strong>{t(`integrity.check.${c.code}`)}</Typography.Text>
                    <Typography.Text>{lang === 'en' ? c.messageEn : c.message}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
            <Typography.Paragraph>{t('integrity.roster', { expected: report.roster.expected, present: report.roster.present, absent: report.roster.absent, unaccounted: report.roster.unaccounted })}</Typography.Paragraph>
            <Typography.Paragraph>{t('integrity.incidents', report.incidents)}</Typography.Paragraph>
            {report.roster.unaccountedTickets.length > 0 && <Typography.Paragraph type="danger">{t('integrity.unaccounted', { list: report.roster.unaccountedTickets.join('、') })}</Typography.Paragraph>}
          </Card>
          <Card title={t('integrity.ministry')}>
            <Typography.Paragraph type="secondary">{t('integrity.ministryHint')}</Typography.Paragraph>
            <Space wrap>
              {[...new Set(report.rooms.map((r) => r.sessionId))].map((sessionId) => (
                <Button key={sessionId} loading={exporting === sessionId} onClick={() => void exportSession(sessionId)}>
                  {t('integrity.exportSession', { session: sessionId })}
                </Button>
              ))}
            </Space>
          </Card>
          <Card title={t('integrity.rooms')}>
            <Table<IntegrityRoom>
              size="small"
              aria-label={t('integrity.rooms')}
              rowKey={(r) => `${r.sessionId}/${r.venueCode}/${r.roomCode}`}
              dataSource={rooms}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[
                { title: t('common.session'), dataIndex: 'sessionId' },
                { title: t('common.venue'), dataIndex: 'venueCode' },
                { title: t('common.room'), dataIndex: 'roomCode' },
                { title: t('integrity.state'), dataIndex: 'state', render: (s: IntegrityRoom['state']) => <Tag color={STATE_COLOR[s]}>{t(`integrity.state.${s}`)}</Tag> },
                { title: t('integrity.attempts'), align: 'right', render: (_, r) => ratio(r.manifestAttempts, r.importedAttempts) },
                { title: t('integrity.answers'), align: 'right', render: (_, r) => ratio(r.manifestAnswers, r.importedAnswers) },
                { title: t('integrity.chains'), dataIndex: 'chainsVerified', render: (v: boolean | null) => (v === null ? '—' : v ? '✓' : <Typography.Text type="danger">✗</Typography.Text>) },
                { title: t('integrity.problems'), dataIndex: 'problems', render: (p: string[]) => p.join('；') || '—' },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
