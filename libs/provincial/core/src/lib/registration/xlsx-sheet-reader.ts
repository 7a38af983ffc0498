import { unzipSync } from 'fflate';

/**
 * Reads the first worksheet of an XLSX workbook into rows of cell texts.
 *
 * Why not exceljs's streaming WorkbookReader: it decodes each inflated chunk to a string on
 * its own, so a Chinese character split across two chunks turns into U+FFFD (exceljs issues
 * #2063/#2084, still open) — a few names in every large 报名 file would be corrupted. The sheet
 * XML of a 100,000-row file is tens of MB: unzipped whole and scanned once, it is both correct
 * and fast. exceljs stays the writer (exports, test and bench workbooks).
 */
export interface SheetRow {
  /** 1-based row number as Excel shows it. */
  number: number;
  cells: string[];
}

export class XlsxFormatError extends Error {}

const utf8 = new TextDecoder('utf-8');

export function readFirstSheet(file: Uint8Array): SheetRow[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(file, { filter: (f) => f.name === 'xl/workbook.xml' || f.name === 'xl/_rels/workbook.xml.rels' || f.name === 'xl/sharedStrings.xml' || f.name.startsWith('xl/worksheets/sheet') });
  } catch (error) {
    throw new XlsxFormatError(`not a ZIP archive: ${(error as Error).message}`);
  }
  const sheetXml = entries[firstSheetPath(entries)];
  if (!sheetXml) throw new XlsxFormatError('the workbook has no worksheet');
  const shared = entries['xl/sharedStrings.xml'] ? sharedStrings(utf8.decode(entries['xl/sharedStrings.xml'])) : [];
  return sheetRows(utf8.decode(sheetXml), shared);
}

function firstSheetPath(entries: Record<string, Uint8Array>): string {
  const workbook = entries['xl/workbook.xml'] && utf8.decode(entries['xl/workbook.xml']);
  const rels = entries['xl/_rels/workbook.xml.rels'] && utf8.decode(entries['xl/_rels/workbook.xml.rels']);
  const rid = workbook?.match(/<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/)?.[1];
  if (rid && rels) {
    const target = new RegExp(`<Relationship\\b[^>]*\\bId="${rid}"[^>]*\\bTarget="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`<Relationship\\b[^>]*\\bTarget="([^"]+)"[^>]*\\bId="${rid}"`).exec(rels)?.[1];
    if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  }
  return 'xl/worksheets/sheet1.xml';
}

/** Shared strings: each <si> is the text of its <t> runs, phonetic guides (<rPh>) left out. */
function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  const si = /<si>([\s\S]*?)<\/si>|<si\/>/g;
  for (let m = si.exec(xml); m; m = si.exec(xml)) out.push(m[1] === undefined ? '' : textRuns(m[1].replace(/<rPh\b[\s\S]*?<\/rPh>/g, '')));
  return out;
}

function textRuns(xml: string): string {
  let text = '';
  const t = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g;
  for (let m = t.exec(xml); m; m = t.exec(xml)) text += decodeXml(m[1]);
  return text;
}

const ROW = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;

function sheetRows(xml: string, shared: string[]): SheetRow[] {
  const rows: SheetRow[] = [];
  let lastRow = 0;
  for (let r = ROW.exec(xml); r; r = ROW.exec(xml)) {
    const number = Number(attr(r[1], 'r')) || lastRow + 1;
    lastRow = number;
    const cells: string[] = [];
    if (r[2]) {
      let nextCol = 0;
      CELL.lastIndex = 0;
      for (let c = CELL.exec(r[2]); c; c = CELL.exec(r[2])) {
        const ref = attr(c[1], 'r');
        const col = ref ? columnIndex(ref) : nextCol;
        nextCol = col + 1;
        cells[col] = cellValue(attr(c[1], 't'), c[2] ?? '', shared);
      }
    }
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
    rows.push({ number, cells });
  }
  return rows;
}

function cellValue(type: string | undefined, inner: string, shared: string[]): string {
  if (type === 'inlineStr') return textRuns(inner.replace(/<rPh\b[\s\S]*?<\/rPh>/g, ''));
  const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
  if (v === undefined) return '';
  if (type === 's') return shared[Number(v)] ?? '';
  if (type === 'b') return v === '1' ? 'TRUE' : 'FALSE';
  return decodeXml(v);
}

const ATTRS: Record<'r' | 't', RegExp> = { r: /\br="([^"]*)"/, t: /\bt="([^"]*)"/ };

function attr(attrs: string, name: 'r' | 't'): string | undefined {
  return ATTRS[name].exec(attrs)?.[1];
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  if (!s.includes('&') && !s.includes('_x')) return s;
  return s
    .replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m),
    )
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))); // OOXML escapes of control characters
}
