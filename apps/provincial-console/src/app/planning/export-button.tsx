import { App, Button } from 'antd';
import { useState } from 'react';
import { useT } from '../messages';
import { useErrorText } from '../error-text';
import { downloadFile } from '../planning-admin-api';

/** 导出 Excel (or any file the server makes): downloads with the staff token; a refusal shows its message. */
export function ExportButton({ path, fallbackName, label }: { path: string; fallbackName: string; label?: string }) {
  const t = useT();
  const message = useErrorText();
  const { message: toast } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const name = await downloadFile(path, fallbackName);
      toast.success(t('common.exported', { name }));
    } catch (e) {
      toast.error(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button loading={busy} onClick={() => void run()}>
      {label ?? t('common.export')}
    </Button>
  );
}
