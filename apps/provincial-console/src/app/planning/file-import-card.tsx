import { Alert, Button, Card, Checkbox, Space } from 'antd';
import { useLanguage } from '@kaowu/ui';
import { useState, type ReactNode } from 'react';
import { useT } from '../messages';
import { ApiError } from '../provincial-api';

export interface ImportOutcome {
  ok: boolean;
  message: string;
  details?: ReactNode;
}

/**
 * One import: choose a file, optionally "clean rows only", import. A refused import shows the
 * server's message and the row-level errors; nothing was stored.
 */
export function FileImportCard(props: {
  title: string;
  accept: string;
  cleanOnlyLabel: string;
  run: (file: File, cleanOnly: boolean) => Promise<ImportOutcome>;
  refused: (error: ApiError) => ReactNode;
}) {
  const t = useT();
  const { lang } = useLanguage();
  const [file, setFile] = useState<File | null>(null);
  const [cleanOnly, setCleanOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    try {
      setOutcome(await props.run(file, cleanOnly));
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError('未知错误', 'Unknown error');
      setOutcome({ ok: false, message: lang === 'en' ? error.messageEn : error.messageZh, details: props.refused(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={props.title} className="import-card">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <input type="file" aria-label={props.title} accept={props.accept} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <Checkbox checked={cleanOnly} onChange={(e) => setCleanOnly(e.target.checked)}>
            {props.cleanOnlyLabel}
          </Checkbox>
          <Button type="primary" disabled={!file} loading={busy} onClick={() => void submit()}>
            {t('import.submit')}
          </Button>
        </Space>
        {outcome && <Alert role={outcome.ok ? 'status' : 'alert'} type={outcome.ok ? 'success' : 'error'} showIcon title={outcome.message} />}
        {outcome?.details}
      </Space>
    </Card>
  );
}
