import { Space, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../messages';
import { importPhotos, importProblems, importRegistrants } from '../provincial-api';
import { FileImportCard } from './file-import-card';
import { PhotoErrorTable, RowErrorTable } from './import-error-table';
import { RegistrantsTable } from './registrants-table';

/** 报名导入: the registration file and the photo archive, each all-or-nothing unless the clerk chooses clean rows only. */
export function RegistrationImportPage({ sittingCode }: { sittingCode: string }) {
  const t = useT();
  const [imports, setImports] = useState(0);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('import.title')}</Typography.Title>
      <FileImportCard
        title={t('import.registrations')}
        accept=".xlsx,.csv"
        cleanOnlyLabel={t('import.cleanOnly')}
        run={async (file, cleanOnly) => {
          const r = await importRegistrants(sittingCode, file, cleanOnly);
          setImports((n) => n + 1);
          return {
            ok: true,
            message: t('import.done', { imported: r.imported, created: r.created, updated: r.updated, skipped: r.skipped }),
            details: r.errors.length > 0 ? <RowErrorTable errors={r.errors} caption={t('import.errors', { count: r.errors.length })} /> : undefined,
          };
        }}
        refused={(error) => {
          const { rowErrors, errorCount } = importProblems(error);
          return rowErrors.length > 0 ? <RowErrorTable errors={rowErrors} caption={t('import.errors', { count: errorCount })} /> : null;
        }}
      />
      <FileImportCard
        title={t('import.photos')}
        accept=".zip"
        cleanOnlyLabel={t('import.cleanOnlyPhotos')}
        run={async (file, cleanOnly) => {
          const r = await importPhotos(sittingCode, file, cleanOnly);
          setImports((n) => n + 1);
          return {
            ok: true,
            message: t('import.photosDone', { imported: r.imported, skipped: r.skipped }),
            details:
              r.errors.length + r.warnings.length > 0 ? (
                <>
                  {r.warnings.length > 0 && <PhotoErrorTable errors={r.warnings} caption={t('import.photoWarnings', { count: r.warnings.length })} />}
                  {r.errors.length > 0 && <PhotoErrorTable errors={r.errors} caption={t('import.errors', { count: r.errors.length })} />}
                </>
              ) : undefined,
          };
        }}
        refused={(error) => {
          const { photoErrors, errorCount } = importProblems(error);
          return photoErrors.length > 0 ? <PhotoErrorTable errors={photoErrors} caption={t('import.errors', { count: errorCount })} /> : null;
        }}
      />
      <RegistrantsTable sittingCode={sittingCode} reload={imports} />
    </Space>
  );
}
