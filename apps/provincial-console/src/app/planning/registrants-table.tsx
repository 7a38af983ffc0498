import { Alert, Button, Card, Input, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { fetchRegistrants, type RegistrantPage, type RegistrantRow } from '../provincial-api';
import { useErrorText } from '../error-text';
import { exportUrls } from '../planning-admin-api';
import { ExportButton } from './export-button';

/** 报名考生: paged from the server, filtered by region code and ID number. */
export function RegistrantsTable({ sittingCode, reload }: { sittingCode: string; reload: number }) {
  const t = useT();
  const message = useErrorText();
  const [query, setQuery] = useState({ page: 1, pageSize: 20, regionCode: '', idNo: '' });
  const [draft, setDraft] = useState({ regionCode: '', idNo: '' });
  const [data, setData] = useState<RegistrantPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    fetchRegistrants(sittingCode, { page: query.page, pageSize: query.pageSize, regionCode: query.regionCode || undefined, idNo: query.idNo || undefined })
      .then((page) => {
        if (!live) return;
        setData(page);
        setError(null);
      })
      .catch((e: unknown) => live && setError(message(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [sittingCode, query, reload, message]);

  return (
    <Card title={t('registrants.title')} extra={data ? t('registrants.total', { total: data.total }) : undefined}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input aria-label={t('registrants.region')} placeholder={t('registrants.region')} value={draft.regionCode} onChange={(e) => setDraft({ ...draft, regionCode: e.target.value.trim() })} style={{ width: 140 }} />
        <Input aria-label={t('registrants.idNo')} placeholder={t('registrants.idNo')} value={draft.idNo} onChange={(e) => setDraft({ ...draft, idNo: e.target.value.trim() })} style={{ width: 220 }} />
        <Button onClick={() => setQuery({ ...query, ...draft, page: 1 })}>{t('registrants.filter')}</Button>
        <ExportButton path={exportUrls.registrants(sittingCode, { regionCode: query.regionCode, idNo: query.idNo })} fallbackName={`报名考生-${sittingCode}.xlsx`} />
      </Space>
      {error && <Alert type="error" role="alert" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<RegistrantRow>
        size="small"
        rowKey="idNo"
        loading={loading}
        dataSource={data?.registrants ?? []}
        pagination={{ current: query.page, pageSize: query.pageSize, total: data?.total ?? 0, showSizeChanger: true, onChange: (page, pageSize) => setQuery({ ...query, page, pageSize }) }}
        columns={[
          { title: t('registrants.idNo'), dataIndex: 'idNo' },
          { title: t('registrants.name'), dataIndex: 'name' },
          { title: t('registrants.gender'), dataIndex: 'gender', render: (g: string) => (g === 'M' ? '男' : g === 'F' ? '女' : g) },
          { title: t('registrants.region'), dataIndex: 'regionCode' },
          { title: t('registrants.subjects'), dataIndex: 'subjects', render: (s: string[]) => s.join('、') },
          { title: t('registrants.ticketNo'), dataIndex: 'ticketNo', render: (n: string | null) => n ?? '—' },
          { title: t('registrants.photo'), dataIndex: 'hasPhoto', render: (p: boolean) => (p ? '✓' : '—') },
        ]}
      />
    </Card>
  );
}
