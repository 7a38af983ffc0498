import PDFDocument from 'pdfkit';
import type { RoomProcedure, RoomVerification } from '@kaowu/contracts';
import type { CjkFont } from '@kaowu/server-kit';

/** What the printed 考场情况报告 says about one room's session. */
export interface RoomReport {
  venueName: string;
  roomName: string;
  roomCode: string;
  examName: string;
  subjectName: string;
  startsAt: string;
  durationMinutes: number;
  printedAt: string;
  verification: RoomVerification;
  procedure: RoomProcedure;
}

const A4 = { width: 595.28, height: 841.89 };
const M = 44;
const WIDTH = A4.width - 2 * M;
/** Beijing time for people reading the report. */
const bj = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
};
const bjTime = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

const KIND: Record<string, string> = { identity_mismatch: '人证不符', violation: '违纪', forced_hand_in: '强制交卷', absent: '缺考' };
const CATEGORY: Record<string, string> = {
  unauthorised_items: '携带规定以外的物品',
  communication: '交头接耳、传递信息',
  copying: '抄袭或协助他人抄袭',
  impersonation: '替考、冒名顶替',
  electronic_device: '使用通讯工具或电子设备',
  leaving_seat: '未经许可离开座位',
  machine_tampering: '违规操作或损坏考试机',
  disorder: '扰乱考场秩序',
  other: '其他',
};
const ANOMALY: Record<string, string> = {
  zero_answers: '未作答',
  offline_at_end: '结束时离线',
  open_incident: '考场记录',
  identity_unchecked: '未核验身份',
  absence_unconfirmed: '缺考待确认',
  still_answering: '仍在作答',
};

/**
 * The room's printable report (考场情况报告): counts, absentees, incidents, the anomalies and how
 * each was settled, the procedure steps done, and the lines the proctors and the chief sign.
 */
export function renderRoomReport(r: RoomReport, font: CjkFont): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: M, info: { Title: `考场情况报告 ${r.roomCode}`, Author: 'Kaowu 考务' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.data, font.family);
  doc.font('cjk').fillColor('black');

  const v = r.verification;
  doc.fontSize(18).text('考场情况报告', { align: 'center' });
  doc.moveDown(0.3).fontSize(10).text(`${r.examName} · ${r.subjectName}`, { align: 'center' });
  doc.moveDown(0.8).fontSize(10);
  doc.text(`考点：${r.venueName}    考场：${r.roomName}（${r.roomCode}）    场次：${v.sessionId}`);
  doc.text(`考试时间：${bj(r.startsAt)} 起 ${r.durationMinutes} 分钟（北京时间）    打印时间：${bj(r.printedAt)}`);
  doc.moveDown(0.6);
  doc.fontSize(11).text(`应到 ${v.expected} 人，实到 ${v.loggedIn} 人，缺考 ${v.absent} 人；交卷 ${v.submitted} 人，到时结束 ${v.ended} 人；考场记录 ${v.incidents.length} 条。`);
  doc.text(v.confirmed ? `核查结果已于 ${bj(v.confirmed.at)} 由 ${v.confirmed.by} 确认。` : '核查结果尚未确认。');

  section(doc, '缺考考生');
  const absent = v.rows.filter((x) => x.status === 'absent');
  doc.fontSize(10).text(absent.length ? absent.map((x) => `${x.seatNo}号 ${x.name}（${x.ticketNo}）`).join('；') : '无');

  section(doc, '考场记录（违纪、人证不符、强制交卷）');
  if (v.incidents.length === 0) doc.fontSize(10).text('无');
  for (const i of v.incidents) {
    const who = i.ticketNo ? `${i.seatNo ?? '—'}号 ${i.candidateName ?? ''}（${i.ticketNo}）` : '本考场';
    const what = [KIND[i.kind] ?? i.kind, i.category ? CATEGORY[i.category] : null].filter(Boolean).join(' · ');
    doc.fontSize(10).text(`${bjTime(i.at)}  ${who}  ${what}`, { continued: false });
    doc.fontSize(9).text(`    ${i.description}${i.evidence ? `；证据：${i.evidence}` : ''}；记录人：${i.actor}`);
  }

  section(doc, '核查异常情况及处理');
  if (v.anomalies.length === 0) doc.fontSize(10).text('无');
  for (const a of v.anomalies) {
    const who = a.ticketNo ? `${a.seatNo}号 ${a.candidateName}（${a.ticketNo}）` : '';
    doc.fontSize(10).text(`[${ANOMALY[a.kind] ?? a.kind}] ${who} ${a.detail}`);
    doc.fontSize(9).text(a.acknowledged ? `    已确认：${a.acknowledged.note}（${a.acknowledged.by}，${bjTime(a.acknowledged.at)}）` : '    未确认');
  }

  section(doc, '考试操作规程执行情况');
  for (const s of r.procedure.steps) {
    const state = s.done ? `已完成 ${bjTime(s.done.at)}（${s.done.by === 'system' ? '系统确认' : s.done.by}）` : s.state === 'upcoming' ? '未到时间' : '未记录';
    doc.fontSize(9).text(`${String(s.no).padStart(2, ' ')}. ${s.text} —— ${state}`);
  }

  if (doc.y > A4.height - M - 110) doc.addPage();
  doc.moveDown(1.5).fontSize(11);
  const y = Math.max(doc.y, A4.height - M - 90);
  const col = WIDTH / 3;
  ['监考员签名：', '监考员签名：', '主考签名：'].forEach((label, i) => {
    doc.text(label, M + i * col, y, { width: col - 10 });
    doc.moveTo(M + i * col + 70, y + 14).lineTo(M + (i + 1) * col - 12, y + 14).lineWidth(0.6).stroke();
  });
  doc.text('日期：', M, y + 40);
  doc.moveTo(M + 40, y + 54).lineTo(M + col - 12, y + 54).stroke();
  doc.end();
  return done;
}

function section(doc: PDFKit.PDFDocument, title: string): void {
  if (doc.y > A4.height - M - 80) doc.addPage();
  doc.moveDown(0.8).fontSize(12).text(title, M, doc.y, { width: WIDTH, underline: false });
  doc.moveTo(M, doc.y + 2).lineTo(M + WIDTH, doc.y + 2).lineWidth(0.5).stroke();
  doc.moveDown(0.4);
}
