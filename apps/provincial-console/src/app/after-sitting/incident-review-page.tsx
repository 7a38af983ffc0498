import { INCIDENT_DECISION_LABELS, type IncidentPage, type IncidentReviewStatus, type ReviewedIncident } from '@kaowu/contracts';
import { Alert, Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { formatDateTime, useLanguage } from '@kaowu/ui';
import { useCallback, useEffect, useState } from 'react';
import { fetchIncidents, fetchSittingSubjects, type IncidentFilter, errorText } from './after-sitting-api';
import { useAfterSittingT } from './after-sitting-messages';
import { IncidentReviewDrawer } from './incident-review-drawer';

/** 违规违纪处理: every incident of the sitting's verified room packages, filtered and paged; a row opens the review. */
export function IncidentReviewPage({ sittingCode, canDecide }: { sittingCode: string; canDecide: boolean }) {
  const t = useAfterSittingT();
  const { lang } = useLanguage();
  const [filter, setFilter] = useState<IncidentFilter>({ page: 1, pageSize: 20, status: 'open' });
  const [venueDraft, setVenueDraft] = useState('');
  const [data, setData] = useState<IncidentPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [subjects, setSubjects] = useState<{ subjectCode: string; subjectName: string }[]>([]);

  useEffect(() => {
    let live = true;
    fetchSittingSubjects(sittingCode)
      .then((list) => live && setSubjects(list))
      .catch(() => live && setSubjects([]));
    return () => {
      live = false;
    };
  }, [sittingCode]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await fetchIncidents(sittingCode, filter));
      setError(null);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setLoading(false);
    }
  }, [sittingCode, filter, lang]);

  useEffect(() => {
    void load();
  }, [load]);

  const decisionLabel = (r: ReviewedIncident) => (r.decision ? INCIDENT_DECISION_LABELS[r.decision.decision][lang === 'en' ? 'en' : 'zh'] : '—');

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('incidents.title')}
        </Typography.Title>
        {data && (
          <>
            <Tag color={data.counts.open > 0 ? 'orange' : 'green'}>{t('incidents.open', { count: data.counts.open })}</Tag>
            <Tag color="blue">{t('incidents.decided', { count: data.counts.decided })}</Tag>
          </>
        )}
      </Space>
      <Space wrap>
        <Select<IncidentReviewStatus | ''>
          aria-label={t('incidents.filterStatus')}
          style={{ width: 140 }}
          value={filter.status ?? ''}
          onChange={(status) => setFilter({ ...filter, page: 1, status: status || undefined })}
          options={[
            { value: '', label: t('common.all') },
            { value: 'open', label: t('status.open') },
            { value: 'decided', label: t('status.decided') },
          ]}
        />
        <Select<string>
          aria-label={t('incidents.filterSubject')}
          style={{ width: 180 }}
          value={filter.subjectCode ?? ''}
          onChange={(subjectCode) => setFilter({ ...filter, page: 1, subjectCode: subjectCode || undefined })}
          options={[{ value: '', label: t('common.all') }, ...subjects.map((s) => ({ value: s.subjectCode, label: s.subjectName }))]}
        />
        <Input.Search
          aria-label={t('incidents.filterVenue')}
          placeholder={t('incidents.filterVenue')}
          allowClear
          style={{ width: 200 }}
          value={venueDraft}
          onChange={(e) => setVenueDraft(e.target.value)}
          onSearch={(v) => setFilter({ ...filter, page: 1, venueCode: v.trim() || undefined })}
        />
        <Button onClick={() => void load()} loading={loading}>
          {t('common.refresh')}
        </Button>
      </Space>
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      <Table<ReviewedIncident>
        size="small"
        aria-label={t('incidents.title')}
        rowKey="incidentId"
        loading={loading}
        dataSource={data?.incidents ?? []}
        locale={{ emptyText: t('incidents.empty') }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: data?.total ?? 0,
          showTotal: (total) => t('incidents.total', { total }),
          onChange: (page, pageSize) => setFilter({ ...filter, page, pageSize }),
        }}
        columns={[
          { title: t('incidents.recordedAt'), dataIndex: 'recordedAt', render: (v: string) => formatDateTime(v) },
          { title: t('common.subject'), dataIndex: 'subjectName' },
          { title: t('common.venue'), render: (_, r) => `${r.venueName}（${r.venueCode}）` },
          { title: t('common.room'), dataIndex: 'roomCode' },
          { title: t('common.ticketNo'), dataIndex: 'ticketNo', render: (v: string | null) => v ?? '—' },
          { title: t('common.name'), dataIndex: 'candidateName', render: (v: string | null) => v ?? '—' },
          { title: t('incidents.kind'), dataIndex: 'kind', render: (k: ReviewedIncident['kind']) => <Tag color={k === 'violation' ? 'red' : 'orange'}>{t(`kind.${k}`)}</Tag> },
          { title: t('incidents.facts'), dataIndex: 'facts', ellipsis: true },
          { title: t('incidents.status'), dataIndex: 'status', render: (s: ReviewedIncident['status']) => <Tag color={s === 'open' ? 'orange' : 'green'}>{t(`status.${s}`)}</Tag> },
          { title: t('incidents.decision'), render: (_, r) => decisionLabel(r) },
          {
            title: '',
            render: (_, r) => (
              <Button size="small" type={r.status === 'open' && canDecide ? 'primary' : 'default'} onClick={() => setOpen(r.incidentId)} aria-label={`${canDecide ? t('incidents.review') : t('incidents.view')} ${r.ticketNo ?? r.incidentId}`}>
                {canDecide ? t('incidents.review') : t('incidents.view')}
              </Button>
            ),
          },
        ]}
      />
      <IncidentReviewDrawer sittingCode={sittingCode} incidentId={open} canDecide={canDecide} onClose={() => setOpen(null)} onDecided={() => void load()} />
    </Space>
  );
}
