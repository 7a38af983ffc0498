import type { SignedReceipt } from '@kaowu/contracts';
import { useLanguage } from '@kaowu/ui';
import { useState, type FormEvent } from 'react';
import { ApiError, IntakeRefusal, importResultFile } from './provincial-api';

const TEXT = {
  zh: {
    title: '离线导入考场数据包',
    file: '数据包文件（.kwr）',
    checksum: '校验文件（.sha256）',
    submit: '校验并导入',
    busy: '正在校验…',
    missing: '请同时选择数据包文件和校验文件',
    ok: '已接收：{packageId}，考生 {attempts} 人，作答 {answers} 条。回执已由省级签名。',
    refused: '拒绝导入（{code}）：{message}',
  },
  en: {
    title: 'Import a room package from removable media',
    file: 'Package file (.kwr)',
    checksum: 'Checksum file (.sha256)',
    submit: 'Verify and import',
    busy: 'Verifying…',
    missing: 'Choose both the package file and its checksum file',
    ok: 'Received {packageId}: {attempts} candidates, {answers} answers. Receipt signed by the province.',
    refused: 'Refused ({code}): {message}',
  },
} as const;

type Outcome = { kind: 'idle' } | { kind: 'busy' } | { kind: 'ok'; receipt: SignedReceipt } | { kind: 'error'; code?: string; error: ApiError };

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));

/** 离线上报 at the province: the technician's USB stick arrives; the same checks as an upload. */
export function ResultFileImport({ onImported }: { onImported: () => void }) {
  const { lang } = useLanguage();
  const t = TEXT[lang === 'en' ? 'en' : 'zh'];
  const [file, setFile] = useState<File | null>(null);
  const [checksum, setChecksum] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !checksum) {
      setOutcome({ kind: 'error', error: new ApiError(TEXT.zh.missing, TEXT.en.missing) });
      return;
    }
    setOutcome({ kind: 'busy' });
    try {
      const receipt = await importResultFile(await file.arrayBuffer(), await checksum.text());
      setOutcome({ kind: 'ok', receipt });
      onImported();
    } catch (error) {
      const err = error instanceof ApiError ? error : new ApiError('未知错误', 'Unknown error');
      setOutcome({ kind: 'error', code: error instanceof IntakeRefusal ? error.code : undefined, error: err });
    }
  };

  return (
    <section className="card">
      <form onSubmit={(e) => void submit(e)} aria-label={t.title} style={{ padding: '0.7em 1em' }}>
        <h2 style={{ fontSize: '1.1em', margin: '0 0 0.5em' }}>{t.title}</h2>
        <label>
          {t.file} <input type="file" accept=".kwr" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>{' '}
        <label>
          {t.checksum} <input type="file" accept=".sha256,.txt" onChange={(e) => setChecksum(e.target.files?.[0] ?? null)} />
        </label>{' '}
        <button type="submit" disabled={outcome.kind === 'busy'}>
          {outcome.kind === 'busy' ? t.busy : t.submit}
        </button>
        {outcome.kind === 'ok' && (
          <p role="status">{fill(t.ok, { packageId: outcome.receipt.body.packageId, attempts: outcome.receipt.body.attemptsImported, answers: outcome.receipt.body.answersImported })}</p>
        )}
        {outcome.kind === 'error' && (
          <p role="alert" className="error">
            {outcome.code ? fill(t.refused, { code: outcome.code, message: lang === 'en' ? outcome.error.messageEn : outcome.error.messageZh }) : lang === 'en' ? outcome.error.messageEn : outcome.error.messageZh}
          </p>
        )}
      </form>
    </section>
  );
}
