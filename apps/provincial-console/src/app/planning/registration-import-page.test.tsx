import { LanguageProvider } from '@kaowu/ui';
import { ConfigProvider } from 'antd';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RegistrationImportPage } from './registration-import-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const rowError = { row: 3, column: 'idNo', code: 'ID_CHECK_DIGIT', message: '证件号码“52010219900101001X”校验位错误', messageEn: 'ID number check digit is wrong' };
const refused = {
  code: 'IMPORT_HAS_ERRORS',
  field: 'file',
  message: '报名文件有 1 行数据有误（共 1 处），未导入任何考生；请改正后重新导入，或选择只导入无误的行',
  messageEn: '1 rows have errors',
  details: { errors: [rowError], errorCount: 1, rows: 2, badRows: 1 },
};
const emptyPage = { total: 0, page: 1, pageSize: 20, registrants: [] };

afterEach(() => vi.unstubAllGlobals());

describe('报名导入', () => {
  it('shows the rows at fault when an import is refused, then imports the clean rows only when asked', async () => {
    const imports: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url.includes('/registrations/import')) {
          imports.push(url);
          return url.includes('importCleanRowsOnly=true')
            ? json({ sittingCode: 'ZJ2026', rows: 2, imported: 1, created: 1, updated: 0, skipped: 1, errors: [rowError] })
            : json(refused, 422);
        }
        return json(emptyPage);
      }),
    );
    render(
      <LanguageProvider>
        {/* as in the console: no space inserted between two Chinese characters of a button */}
        <ConfigProvider button={{ autoInsertSpace: false }}>
          <RegistrationImportPage sittingCode="ZJ2026" />
        </ConfigProvider>
      </LanguageProvider>,
    );
    const file = new File(['姓名,性别\n'], '报名.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText('报名表（XLSX / CSV）'), { target: { files: [file] } });
    const card = screen.getByLabelText('报名表（XLSX / CSV）').closest('.ant-card') as HTMLElement;
    fireEvent.click(within(card).getByRole('button', { name: '导入' }));

    expect((await within(card).findByRole('alert')).textContent).toContain('未导入任何考生');
    const errorRow = within(card).getByRole('cell', { name: '3' }).closest('tr') as HTMLElement;
    expect(within(errorRow).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3', '证件号码', 'ID_CHECK_DIGIT', rowError.message]);
    expect(imports[0]).toContain('format=csv&importCleanRowsOnly=false');

    fireEvent.click(within(card).getByRole('checkbox', { name: '只导入无误的行（有误的行跳过）' }));
    // (jsdom never ends antd's leave animation, so the spinner's label stays in the button's name)
    fireEvent.click(within(card).getByRole('button', { name: /导入$/ }));
    expect((await within(card).findByRole('status')).textContent).toContain('已导入 1 行：新增 1，更新 0，跳过 1');
    await waitFor(() => expect(imports).toHaveLength(2));
    expect(imports[1]).toContain('importCleanRowsOnly=true');
  });
});
