import type { ImportFormat, RegistrationColumn } from '@kaowu/contracts';
import { DomainError } from '@kaowu/server-kit';
import { COLUMN_LABELS, REGISTRATION_HEADERS, RawRegistrationRow } from './registration-rows';
import { SheetRow, readFirstSheet } from './xlsx-sheet-reader';

const COLUMNS = Object.keys(COLUMN_LABELS) as RegistrationColumn[];
const headerToColumn = new Map<string, RegistrationColumn>(COLUMNS.flatMap((c) => REGISTRATION_HEADERS[c].map((h) => [h.toLowerCase(), c] as const)));

/** Which spreadsheet column holds each registration field, from the header row. */
function mapHeader(cells: string[]): Map<RegistrationColumn, number> {
  const at = new Map<RegistrationColumn, number>();
  cells.forEach((cell, i) => {
    const column = headerToColumn.get(cell.replace(/[\s*＊]/g, '').toLowerCase()) ?? headerToColumn.get(cell.trim().toLowerCase());
    if (column && !at.has(column)) at.set(column, i);
  });
  const missing = COLUMNS.filter((c) => !at.has(c));
  if (missing.length > 0)
    throw new DomainError(
      'VALIDATION_FAILED',
      `报名文件第 1 行缺少列：${missing.map((c) => COLUMN_LABELS[c]).join('、')}（表头应为 ${COLUMNS.map((c) => COLUMN_LABELS[c]).join('、')}）`,
      `the header row lacks: ${missing.join(', ')}`,
      'file',
      { missing },
    );
  return at;
}

function toRow(row: number, cells: string[], at: Map<RegistrationColumn, number>): RawRegistrationRow {
  const r = { row } as RawRegistrationRow;
  for (const c of COLUMNS) r[c] = (cells[at.get(c) as number] ?? '').trim();
  return r;
}

/** Read a registration file (XLSX or CSV) into raw rows, numbered as the clerk sees them. */
export function parseRegistrationFile(file: Buffer, format: ImportFormat): RawRegistrationRow[] {
  if (file.length === 0) throw new DomainError('VALIDATION_FAILED', '报名文件为空', 'the registration file is empty', 'file');
  return format === 'xlsx' ? parseXlsx(file) : parseCsv(file);
}

/** XLSX: the first worksheet; the header row is the first non-empty row. */
function parseXlsx(file: Buffer): RawRegistrationRow[] {
  if (file[0] !== 0x50 || file[1] !== 0x4b)
    throw new DomainError('VALIDATION_FAILED', '报名文件不是有效的 XLSX 文件', 'the file is not an XLSX workbook', 'file');
  let sheet: SheetRow[];
  try {
    sheet = readFirstSheet(new Uint8Array(file.buffer, file.byteOffset, file.length));
  } catch (error) {
    throw new DomainError('VALIDATION_FAILED', '报名文件无法读取（XLSX 已损坏？）', `the XLSX file cannot be read: ${(error as Error).message}`, 'file');
  }
  const rows: RawRegistrationRow[] = [];
  let at: Map<RegistrationColumn, number> | undefined;
  for (const row of sheet) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    if (!at) at = mapHeader(row.cells);
    else rows.push(toRow(row.number, row.cells, at));
  }
  if (!at) throw new DomainError('VALIDATION_FAILED', '报名文件没有表头行', 'the file has no header row', 'file');
  return rows;
}

/** CSV (RFC 4180 quoting), UTF-8 with or without BOM, or GB18030 as older tools save it. */
function parseCsv(file: Buffer): RawRegistrationRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    text = new TextDecoder('gb18030').decode(file);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = splitCsv(text);
  if (records.length === 0) throw new DomainError('VALIDATION_FAILED', '报名文件没有表头行', 'the file has no header row', 'file');
  const at = mapHeader(records[0]);
  // Row numbers as a spreadsheet shows the file: one row per record, the header is row 1.
  const rows: RawRegistrationRow[] = [];
  records.forEach((cells, i) => {
    if (i > 0 && cells.some((c) => c.trim() !== '')) rows.push(toRow(i + 1, cells, at));
  });
  return rows;
}

function splitCsv(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push(cells);
  }
  return records;
}
