import type { AuditEventRow, AuditLogPage as AuditPage } from '@kaowu/contracts';
import { Alert, Button, Input, Select, Space, Table, Typography } from 'antd';
import { formatDateTime } from '@kaowu/ui';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { useErrorText } from '../error-text';
import { exportUrls, fetchAuditActions, fetchAuditLog, type AuditFilters } from '../planning-admin-api';
import { ExportButton } from '../planning/export-button';

interface Draft {
  actor: string;
  action: string;
  from: string;
  to: string;
}
const NO_FILTER: Draft = { actor: '', action: '', from: '', to: '' };

/**
 * A typed Beijing wall-clock time ('2026-07-01 08:00', or a date alone) as an instant; what does not
 * read as one is sent as typed, and the server names the field.
 */
function beijing(text: string): string | undefined {
  if (!text.trim()) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T]([01]\d|2[0-3]):([0-5]\d))?$/.exec(text.trim());
  return m ? new Date(`${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:00+08:00`).toISOString() : text.trim();
}

/** 操作日志: every change with its actor, newest first; paged on the server, filtered by actor, action and time; exported as filtered. */
export function AuditLogPage() {
  const t = useT();
  const message = useErrorText();
  const [draft, setDraft] = useState<Draft>(NO_FILTER);
  const [filters, setFilters] = useState<AuditFilters>({ page: 1, pageSize: 20 });
  const [data, setData] = useState<AuditPage | null>(null);
  const [actions, setActions] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    fetchAuditActions().then(setActions, () => setActions([]));
  }, []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    fetchAuditLog(filters)
      .then((page) => live && (setData(page), setError(null)))
      .catch((e: unknown) => live && setError(message(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [filters, message]);

  const apply = (d: Draft) => setFilters({ page: 1, pageSize: filters.pageSize, actor: d.actor.trim() || undefined, action: d.action || undefined, from: beijing(d.from), to: beijing(d.to) });
  const { page: _page, pageSize: _pageSize, ...exportFilters } = filters;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center">
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
        <ExportButton path={exportUrls.audit(exportFilters)} fallbackName="操作日志.xlsx" />
      </Space>
      <form
        aria-label={t('audit.filter')}
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <Space wrap>
          <Input aria-label={t('audit.actor')} placeholder={t('audit.actor')} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} style={{ width: 220 }} />
          <Select
            aria-label={t('audit.action')}
            placeholder={t('audit.action')}
            style={{ width: 240 }}
            showSearch
            allowClear
            value={draft.action || undefined}
            onChange={(v) => setDraft({ ...draft, action: v ?? '' })}
            options={actions.map((a) => ({ value: a, label: a }))}
          />
          <label>
            {t('audit.from')} <Input aria-label={t('audit.from')} placeholder="2026-07-01 08:00" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} style={{ width: 170 }} />
          </label>
          <label>
            {t('audit.to')} <Input aria-label={t('audit.to')} placeholder="2026-07-01 18:00" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} style={{ width: 170 }} />
          </label>
          <Button type="primary" htmlType="submit">
            {t('audit.filter')}
          </Button>
          <Button
            onClick={() => {
              setDraft(NO_FILTER);
              apply(NO_FILTER);
            }}
          >
            {t('audit.reset')}
          </Button>
        </Space>
      </form>
      {error && <Alert type="error" role="alert" showIcon title={error} />}
      <Table<AuditEventRow>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.events ?? []}
        expandable={{ expandedRowRender: (e) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(e.details, null, 2)}</pre>, rowExpandable: (e) => e.details !== null }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('audit.total', { total }),
          onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at), width: 180 },
          { title: t('audit.actor'), dataIndex: 'actor' },
          { title: t('audit.action'), dataIndex: 'action' },
          { title: t('audit.subject'), dataIndex: 'subject' },
          { title: t('audit.reason'), dataIndex: 'reason', render: (r: string | null) => r ?? '—' },
        ]}
      />
    </Space>
  );
}
