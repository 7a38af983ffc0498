import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { XlsxFormatError, readFirstSheet } from './xlsx-sheet-reader';

const NAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘';

describe('XLSX first-sheet reader', () => {
  it('reads back every Chinese character of a large workbook, shared or inline strings alike', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [`${NAMES[i % NAMES.length]}${NAMES[(i * 7) % NAMES.length]}某`, '中级会计实务、财务管理、经济法', `<贵阳&"遵义"> ${i}`, i * 1.5]);
    for (const useSharedStrings of [true, false]) {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('报名');
      ws.addRow(['姓名', '报考科目', '备注', '数值']);
      rows.forEach((r) => ws.addRow(r));
      ws.getCell('E2').value = { richText: [{ text: '富' }, { text: '文本' }] };
      const file = new Uint8Array(await (useSharedStrings ? wb.xlsx.writeBuffer() : inlineBuffer(rows)));
      const sheet = readFirstSheet(file);
      expect(sheet[0]).toEqual({ number: 1, cells: ['姓名', '报考科目', '备注', '数值'] });
      expect(sheet.slice(1).map((r) => r.cells.slice(0, 4))).toEqual(rows.map((r) => r.map(String)));
      expect(sheet.slice(1).every((r, i) => r.number === i + 2)).toBe(true);
      if (useSharedStrings) expect(sheet[1].cells[4]).toBe('富文本');
    }
  });

  it('leaves out phonetic guides and keeps gaps between cells', () => {
    const file = zipSync({
      'xl/workbook.xml': strToU8('<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Type="ws" Target="worksheets/sheet1.xml"/></Relationships>'),
      'xl/sharedStrings.xml': strToU8('<sst><si><t>贵阳</t><rPh sb="0" eb="2"><t>guiyang</t></rPh></si><si><r><t xml:space="preserve">张 </t></r><r><t>三</t></r></si></sst>'),
      'xl/worksheets/sheet1.xml': strToU8('<worksheet><sheetData><row r="3"><c r="A3" t="s"><v>1</v></c><c r="C3" t="s"><v>0</v></c><c r="D3" t="b"><v>1</v></c></row><row r="4"/></sheetData></worksheet>'),
    });
    expect(readFirstSheet(file)).toEqual([
      { number: 3, cells: ['张 三', '', '贵阳', 'TRUE'] },
      { number: 4, cells: [] },
    ]);
  });

  it('refuses what is not a workbook', () => {
    expect(() => readFirstSheet(strToU8('姓名,性别'))).toThrow(XlsxFormatError);
    expect(() => readFirstSheet(zipSync({ 'a.txt': strToU8('x') }))).toThrow('no worksheet');
  });
});

/** The same rows through exceljs's streaming writer, which writes inline strings. */
async function inlineBuffer(rows: (string | number)[][]): Promise<Buffer> {
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('报名');
  ws.addRow(['姓名', '报考科目', '备注', '数值']).commit();
  for (const r of rows) ws.addRow(r).commit();
  await ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}
