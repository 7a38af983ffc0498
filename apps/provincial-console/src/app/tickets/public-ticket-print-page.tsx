import type { TicketPrintingSitting } from '@kaowu/contracts';
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { formatDateTime } from '@kaowu/ui';
import { useEffect, useState } from 'react';
import { useT } from '../messages';
import { useErrorText } from '../error-text';
import { call } from '../provincial-api';
import { fetchTicketPrinting } from '../planning-admin-api';

/** The candidate's ticket PDF, by ID number and name (no staff token; the server limits lookups per address). */
async function fetchOwnTicket(sittingCode: string, idNo: string, name: string, fetchFn: typeof fetch = fetch): Promise<Blob> {
  const q = new URLSearchParams({ idNo: idNo.trim().toUpperCase(), name: name.trim() });
  return (await call(`/api/v1/sittings/${encodeURIComponent(sittingCode)}/tickets?${q}`, { headers: { accept: 'application/pdf' } }, fetchFn)).blob();
}

/**
 * 网上打印准考证 — the public page candidates reach from the exam authority's notice: choose the
 * exam, enter 证件号码 and 姓名, get the PDF. Before the opening time it says when printing opens.
 */
export function PublicTicketPrintPage() {
  const t = useT();
  const message = useErrorText();
  const [sittings, setSittings] = useState<TicketPrintingSitting[] | null>(null);
  const [sittingCode, setSittingCode] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetchTicketPrinting()
      .then((list) => {
        setSittings(list);
        setSittingCode((current) => current ?? (list.find((s) => s.open) ?? list[0])?.sittingCode);
      })
      .catch((e: unknown) => setError(message(e)));
  }, [message]);

  const sitting = sittings?.find((s) => s.sittingCode === sittingCode);

  const print = async ({ idNo, name }: { idNo: string; name: string }) => {
    if (!sittingCode) return;
    // Open the tab inside the click (popup blockers allow that), then point it at the PDF.
    const tab = window.open('', '_blank');
    setBusy(true);
    setPdfUrl(null);
    try {
      const url = URL.createObjectURL(await fetchOwnTicket(sittingCode, idNo, name));
      setPdfUrl(url);
      setError(null);
      if (tab) tab.location.href = url;
    } catch (e) {
      tab?.close();
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ maxWidth: 640, margin: '40px auto', padding: '0 16px' }}>
      <Card>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            {t('print.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('print.hint')}
          </Typography.Paragraph>
          {sittings !== null && sittings.length === 0 && <Alert type="info" showIcon title={t('print.none')} />}
          {sittings !== null && sittings.length > 0 && (
            <Form layout="vertical" onFinish={(v: { idNo: string; name: string }) => void print(v)} aria-label={t('print.title')}>
              <Form.Item label={t('print.sitting')}>
                <Select aria-label={t('print.sitting')} value={sittingCode} onChange={setSittingCode} options={sittings.map((s) => ({ value: s.sittingCode, label: s.name }))} />
              </Form.Item>
              {sitting && !sitting.open && sitting.opensAt && <Alert type="warning" showIcon title={t('print.notOpen', { time: formatDateTime(sitting.opensAt) })} style={{ marginBottom: 16 }} />}
              <Form.Item label={t('print.idNo')} name="idNo" rules={[{ required: true, message: '请输入证件号码' }, { pattern: /^\s*[0-9A-Za-z]{6,20}\s*$/, message: '证件号码格式不正确' }]}>
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item label={t('print.name')} name="name" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
                <Input autoComplete="off" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} disabled={!sitting?.open}>
                {t('print.submit')}
              </Button>
            </Form>
          )}
          {error && <Alert type="error" role="alert" showIcon title={error} />}
          {pdfUrl && (
            <Typography.Text>
              {t('print.ready')}
              <Typography.Link href={pdfUrl} target="_blank">
                {t('print.open')}
              </Typography.Link>
            </Typography.Text>
          )}
        </Space>
      </Card>
    </main>
  );
}
