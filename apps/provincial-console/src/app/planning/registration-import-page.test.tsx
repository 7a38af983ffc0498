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

  it('imports photos and names those over the 64 KB a venue roster takes', async () => {
    const warning = { file: '52010219900101001X.jpg', code: 'PHOTO_OVER_ROSTER_LIMIT', message: '52010219900101001X.jpg：超过考点名单允许的 64 KB：已导入，但生成考点考试包前须换成较小的照片', messageEn: 'over 64 KB' };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (url.includes('/photos/import') ? json({ sittingCode: 'ZJ2026', files: 2, imported: 2, skipped: 0, errors: [], warnings: [warning] }) : json(emptyPage))),
    );
    render(
      <LanguageProvider>
        <ConfigProvider button={{ autoInsertSpace: false }}>
          <RegistrationImportPage sittingCode="ZJ2026" />
        </ConfigProvider>
      </LanguageProvider>,
    );
    const input = screen.getByLabelText('考生照片（ZIP，文件名为证件号码）');
    fireEvent.change(input, { target: { files: [new File(['PK'], 'photos.zip', { type: 'application/zip' })] } });
    const card = input.closest('.ant-card') as HTMLElement;
    fireEvent.click(within(card).getByRole('button', { name: '导入' }));
    expect((await within(card).findByRole('status')).textContent).toContain('已导入 2 张照片，跳过 0 个文件');
    expect(within(card).getByText('提醒：1 张照片超过考点名单允许的 64 KB，已导入，生成考点考试包前须换成较小的照片')).toBeTruthy();
    expect(within(card).getByRole('cell', { name: warning.message })).toBeTruthy();
  });
});
