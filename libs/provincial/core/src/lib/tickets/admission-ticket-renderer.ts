import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { maskIdNo } from '@kaowu/exam-domain';

/** Everything printed on one 准考证. */
export interface AdmissionTicket {
  sittingName: string;
  ticketNo: string;
  name: string;
  gender: 'M' | 'F';
  idType: string;
  idNo: string;
  photo?: Buffer;
  subjects: { subjectName: string; batchName: string; startsAt: string; durationMinutes: number; venueName: string; address: string; roomName: string; seatNo: number }[];
  lateLoginCutoffMinutes: number;
  minMinutesBeforeHandIn: number;
  /** Signed QR text (准考证二维码). */
  qr: string;
}

const ID_TYPE_NAMES: Record<string, string> = { RESIDENT_ID: '居民身份证', HK_MO_PERMIT: '港澳居民来往内地通行证', TW_PERMIT: '台湾居民来往大陆通行证', PASSPORT: '护照', FOREIGN_PR: '外国人永久居留身份证' };

export { CjkFont } from '@kaowu/server-kit';
import type { CjkFont } from '@kaowu/server-kit';

const beijing = (iso: string, minutes = 0) => {
  const d = new Date(new Date(iso).getTime() + (8 * 60 + minutes) * 60_000).toISOString();
  return { date: d.slice(0, 10), time: d.slice(11, 16) };
};

const A4 = { width: 595.28, height: 841.89 };
const M = 48;

/** Render tickets as one PDF, one A4 page each (a venue's bulk print or a single candidate). */
export function renderAdmissionTickets(tickets: AdmissionTicket[], font: CjkFont): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: M, autoFirstPage: false, info: { Title: '准考证 Admission tickets', Producer: 'Kaowu' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.data, font.family);
  for (const t of tickets) drawTicket(doc, t);
  doc.end();
  return done;
}

function drawTicket(doc: PDFKit.PDFDocument, t: AdmissionTicket): void {
  doc.addPage();
  doc.font('cjk').fillColor('black');
  doc.fontSize(15).text(t.sittingName, M, M, { width: A4.width - 2 * M, align: 'center' });
  doc.fontSize(22).text('准 考 证', M, M + 24, { width: A4.width - 2 * M, align: 'center', characterSpacing: 4 });

  // identity block: photo left, facts in the middle, QR right
  const top = M + 70;
  const photo = { x: M, y: top, w: 90, h: 120 };
  doc.lineWidth(0.8).rect(photo.x, photo.y, photo.w, photo.h).stroke();
  if (t.photo) doc.image(t.photo, photo.x + 1, photo.y + 1, { fit: [photo.w - 2, photo.h - 2], align: 'center', valign: 'center' });
  else doc.fontSize(10).text('照片', photo.x, photo.y + photo.h / 2 - 6, { width: photo.w, align: 'center' });

  const facts: [string, string][] = [
    ['准考证号', t.ticketNo],
    ['姓　　名', t.name],
    ['性　　别', t.gender === 'M' ? '男' : '女'],
    ['证件类型', ID_TYPE_NAMES[t.idType] ?? t.idType],
    ['证件号码', t.idNo],
  ];
  doc.fontSize(12);
  facts.forEach(([k, v], i) => doc.text(`${k}：${v}`, photo.x + photo.w + 18, top + 6 + i * 23));
  drawQr(doc, t.qr, A4.width - M - 120, top, 120);
  doc.fontSize(7).text('扫码核验（省级签名）', A4.width - M - 120, top + 122, { width: 120, align: 'center' });

  // one row per subject, in sitting order
  const tableTop = top + 150;
  const cols = [{ h: '科目', w: 78 }, { h: '批次', w: 48 }, { h: '考试时间（北京时间）', w: 108 }, { h: '考点及地址', w: 170 }, { h: '考场', w: 45 }, { h: '座位号', w: 50 }];
  let y = tableTop;
  const rowH = 42;
  doc.fontSize(10).lineWidth(0.6);
  let x = M;
  for (const c of cols) {
    doc.rect(x, y, c.w, 22).stroke();
    doc.text(c.h, x, y + 6, { width: c.w, align: 'center' });
    x += c.w;
  }
  y += 22;
  for (const s of t.subjects) {
    const start = beijing(s.startsAt);
    const end = beijing(s.startsAt, s.durationMinutes);
    const cells = [s.subjectName, s.batchName, `${start.date}\n${start.time}–${end.time}`, `${s.venueName}\n${s.address}`, s.roomName, String(s.seatNo).padStart(2, '0')];
    x = M;
    cells.forEach((text, i) => {
      doc.rect(x, y, cols[i].w, rowH).stroke();
      doc.fontSize(i === 3 ? 8 : 10).text(text, x + 3, y + 6, { width: cols[i].w - 6, height: rowH - 8, align: 'center' });
      x += cols[i].w;
    });
    y += rowH;
  }

  // 考生须知
  y += 18;
  doc.fontSize(12).text('考生须知', M, y);
  const rules = [
    '1. 考生凭本准考证和有效身份证件（与报名时一致）参加考试，两证缺一不得入场。',
    '2. 考前 30 分钟开始签到入场，对号入座，将证件放在桌面上方以备核查。',
    `3. 开考 ${t.lateLoginCutoffMinutes} 分钟后不得登录考试系统，按缺考处理。`,
    `4. 开考 ${t.minMinutesBeforeHandIn} 分钟后方可交卷；考试结束时系统自动交卷。`,
    '5. 只可携带非立体式、不带储存功能的计算器；手机等电子设备须关机后放在指定位置。',
    '6. 作答时遇机器故障，请举手示意监考员更换备用考试机，作答内容不会丢失。',
    `7. 本准考证号码 ${t.ticketNo} 与证件号码 ${maskIdNo(t.idNo)} 用于登录考试系统，请妥善保管。`,
  ];
  doc.fontSize(9.5);
  rules.forEach((r, i) => doc.text(r, M, y + 20 + i * 17, { width: A4.width - 2 * M }));
}

/**
 * The QR as vector runs (one rectangle per horizontal run of dark modules): crisp at any print
 * size. A fixed mask pattern skips the search over all eight masks.
 */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  // One byte-mode segment: the library's search for an optimal mix of modes costs more than it saves here.
  const qr = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M', maskPattern: 2 });
  const n = qr.modules.size;
  const cell = size / (n + 2);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      let end = c;
      while (end + 1 < n && qr.modules.get(r, end + 1)) end++;
      doc.rect(x + (c + 1) * cell, y + (r + 1) * cell, (end - c + 1) * cell, cell);
      c = end;
    }
  doc.fill('black');
}
