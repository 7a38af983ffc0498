import type { PhotoError, RowError } from '@kaowu/contracts';
import { Table } from 'antd';
import { useLanguage } from '@kaowu/ui';
import { useT } from '../messages';

const COLUMN_LABELS: Record<RowError['column'], string> = { name: '姓名', gender: '性别', idType: '证件类型', idNo: '证件号码', region: '地区', subjects: '报考科目', phone: '手机号' };

/** 报名表 row errors: row as the clerk sees it in the spreadsheet, the column, the code and what to fix. */
export function RowErrorTable({ errors, caption }: { errors: RowError[]; caption: string }) {
  const t = useT();
  const { lang } = useLanguage();
  return (
    <Table<RowError>
      size="small"
      title={() => caption}
      aria-label={caption}
      rowKey={(e) => `${e.row}/${e.column}/${e.code}`}
      dataSource={errors}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        { title: t('import.row'), dataIndex: 'row', width: 80 },
        { title: t('import.column'), dataIndex: 'column', width: 110, render: (c: RowError['column']) => COLUMN_LABELS[c] },
        { title: t('import.code'), dataIndex: 'code', width: 180 },
        { title: t('import.message'), render: (_, e) => (lang === 'en' ? e.messageEn : e.message) },
      ]}
    />
  );
}

export function PhotoErrorTable({ errors, caption }: { errors: PhotoError[]; caption: string }) {
  const t = useT();
  const { lang } = useLanguage();
  return (
    <Table<PhotoError>
      size="small"
      title={() => caption}
      rowKey={(e) => `${e.file}/${e.code}`}
      dataSource={errors}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        { title: t('import.file'), dataIndex: 'file' },
        { title: t('import.code'), dataIndex: 'code', width: 200 },
        { title: t('import.message'), render: (_, e) => (lang === 'en' ? e.messageEn : e.message) },
      ]}
    />
  );
}
