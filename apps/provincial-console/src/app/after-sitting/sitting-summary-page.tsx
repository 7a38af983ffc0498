import type { CandidateResultPage, CandidateResultRow, ResultCounts, SittingSummary, SubjectSummary, VenueSummary } from '@kaowu/contracts';
import { Alert, Button, Card, Col, Input, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { formatDateTime, useLanguage } from '@kaowu/ui';
import { useCallback, useEffect, useState } from 'react';
import { fetchCandidateResults, fetchSittingSummary, errorText } from './after-sitting-api';
import { useAfterSittingT, type AfterSittingKey } from './after-sitting-messages';
import { ScoreDistributionChart } from './score-distribution-chart';

const COUNTS: [keyof ResultCounts, AfterSittingKey][] = [
  ['expected', 'summary.expected'],
  ['present', 'summary.present'],
  ['absent', 'summary.absent'],
  ['submitted', 'summary.submitted'],
  ['scored', 'summary.scored'],
  ['voided', 'summary.voided'],
  ['notReceived', 'summary.notReceived'],
];

/** 成绩汇总: the sitting over all its batches — totals, per subject with the score distribution, per venue, per candidate. */
export function SittingSummaryPage({ sittingCode }: { sittingCode: string }) {
  const t = useAfterSittingT();
  const { lang } = useLanguage();
  const [summary, setSummary] = useState<SittingSummary | null>(null);
  const [people, setPeople] = useState<CandidateResultPage | null>(null);
  const [query, setQuery] = useState({ page: 1, pageSize: 20, ticketNo: '' });
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const fail = useCallback((e: unknown) => setError(errorText(e, lang)), [lang]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setSummary(await fetchSittingSummary(sittingCode));
      setError(null);
    } catch (e) {
      fail(e);
    } finally {
      setLoading(false);
    }
  }, [sittingCode, fail]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    let live = true;
    fetchCandidateResults(sittingCode, { ...query, ticketNo: query.ticketNo || undefined })
      .then((p) => live && setPeople(p))
      .catch((e: unknown) => live && fail(e));
    return () => {
      live = false;
    };
  }, [sittingCode, query, fail]);

  const countColumns = COUNTS.map(([key, label]) => ({ title: t(label), dataIndex: key, align: 'right' as const, render: (n: number) => (key === 'voided' && n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n) }));
  const subjectName = new Map(summary?.subjects.map((s) => [s.subjectCode, s.subjectName]) ?? []);
  const resultCell = (s: CandidateResultRow['subjects'][number]) =>
    s.status === 'scored' ? String(s.score) : <Tag color={s.status === 'voided' ? 'red' : s.status === 'absent' ? 'default' : 'orange'}>{t(`result.${s.status}`)}</Tag>;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('summary.title')}
        </Typography.Title>
        {summary && <Typography.Text type="secondary">{t('summary.generatedAt', { time: formatDateTime(summary.generatedAt) })}</Typography.Text>}
        {summary?.regionCode && <Tag color="blue">{t('summary.regionOnly', { region: summary.regionCode })}</Tag>}
        <Button onClick={() => void load()} loading={loading}>
          {t('common.refresh')}
        </Button>
      </Space>
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      {summary && (
        <>
          <Row gutter={[16, 16]}>
            {COUNTS.map(([key, label]) => (
              <Col key={key} xs={12} md={6} xl={3}>
                <Card size="small">
                  <Statistic title={t(label)} value={summary.totals[key]} valueStyle={key === 'voided' && summary.totals.voided > 0 ? { color: '#c62828' } : undefined} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card title={t('summary.subjects')}>
            <Table<SubjectSummary>
              size="small"
              aria-label={t('summary.subjects')}
              rowKey="subjectCode"
              pagination={false}
              dataSource={summary.subjects}
              columns={[
                { title: t('common.subject'), render: (_, s) => `${s.subjectName}（${s.sessions.map((x) => x.sessionId).join('、')}）` },
                ...countColumns,
                { title: t('summary.mean'), dataIndex: 'meanScore', align: 'right', render: (m: number | null) => (m === null ? '—' : m) },
                { title: t('summary.fullMarks'), dataIndex: 'fullMarks', align: 'right' },
              ]}
            />
            <Row gutter={16} style={{ marginTop: 16 }}>
              {summary.subjects.map((s) => (
                <Col key={s.subjectCode} xs={24} lg={12}>
                  <ScoreDistributionChart buckets={s.distribution} title={t('summary.chart', { subject: s.subjectName })} countLabel={(count) => t('summary.people', { count })} />
                </Col>
              ))}
            </Row>
          </Card>
          <Card title={t('summary.venues')}>
            <Table<VenueSummary>
              size="small"
              aria-label={t('summary.venues')}
              rowKey="venueCode"
              dataSource={summary.venues}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[{ title: t('common.venue'), render: (_, v) => `${v.venueName}（${v.venueCode}）` }, ...countColumns]}
            />
          </Card>
        </>
      )}
      <Card title={t('summary.candidates')}>
        <Input.Search
          aria-label={t('summary.search')}
          placeholder={t('summary.search')}
          allowClear
          style={{ width: 260, marginBottom: 12 }}
          onSearch={(v) => setQuery({ ...query, page: 1, ticketNo: v.trim() })}
        />
        <Table<CandidateResultRow>
          size="small"
          aria-label={t('summary.candidates')}
          rowKey="ticketNo"
          dataSource={people?.candidates ?? []}
          pagination={{ current: query.page, pageSize: query.pageSize, total: people?.total ?? 0, showTotal: (total) => t('summary.total', { total }), onChange: (page, pageSize) => setQuery({ ...query, page, pageSize }) }}
          columns={[
            { title: t('common.ticketNo'), dataIndex: 'ticketNo' },
            { title: t('common.name'), dataIndex: 'name' },
            {
              title: t('common.subject'),
              render: (_, c) => (
                <Space wrap>
                  {c.subjects.map((s) => (
                    <span key={s.sessionId} data-testid={`result-${c.ticketNo}-${s.subjectCode}`}>
                      {`${subjectName.get(s.subjectCode) ?? s.subjectCode}：`}
                      {resultCell(s)}
                    </span>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
