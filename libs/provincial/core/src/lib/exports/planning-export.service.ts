import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AuditLogQuery, VenueRoomOverview } from '@kaowu/contracts';
import { beijingDateTimeText } from '@kaowu/planning-domain';
import { DomainError } from '@kaowu/server-kit';
import { PROVINCIAL_CONTEXT, ProvincialContext } from '../provincial-context';
import { SeatAllocationService } from '../allocation/seat-allocation.service';
import { VenueOverviewService } from '../planning/venue-overview.service';
import { AuditLogQueryService } from '../audit/audit-log-query.service';
import { sendXlsx } from './xlsx-stream';
import { cursorBatches } from './cursor-batches';
import { ID_TYPES } from '../registration/registration-rows';

const BATCH = 5000;
/** 证件类型 as clerks write it (the first spelling the import accepts): the export imports again as it is. */
const ID_TYPE_NAME = new Map(Object.entries(ID_TYPES).reverse().map(([name, code]) => [code as string, name]));
const GENDER: Record<string, string> = { M: '男', F: '女' };
const UNPLACED_REASON: Record<string, string> = {
  REGION_FULL: '本地区考场已满',
  NO_ROOMS_IN_REGION: '本地区没有考场',
  SUBJECT_NOT_SCHEDULED: '该科目未安排批次',
  NO_SUBJECTS: '未报考科目',
};
const STAFFING: Record<NonNullable<VenueRoomOverview['staffing']>, string> = { ok: '符合', PROCTORS_TOO_FEW: '监考员不足', PROCTORS_TOO_MANY: '监考员过多', UNASSIGNED: '未配备' };
const CONTACT_ROLE: Record<string, string> = { chief: '主考', technician: '技术负责人', 'lab-admin': '机房管理员' };

/**
 * 导出 Excel: every planning list as an XLSX streamed from the database a page at a time.
 * The caller passes the region a 市、州 考办 is confined to; nothing of another region is read.
 */
@Injectable()
export class PlanningExportService {
  constructor(
    @Inject(PROVINCIAL_CONTEXT) private readonly ctx: ProvincialContext,
    @Inject(SeatAllocationService) private readonly allocation: SeatAllocationService,
    @Inject(VenueOverviewService) private readonly venues: VenueOverviewService,
    @Inject(AuditLogQueryService) private readonly auditLog: AuditLogQueryService,
  ) {}

  private get ds() {
    return this.ctx.db.dataSource;
  }

  /** 报名考生, with the list's filters (region, ID number). */
  async registrants(res: Response, sittingCode: string, f: { regionCode?: string; idNo?: string }): Promise<void> {
    await this.requireSitting(sittingCode);
    const ds = this.ds;
    async function* rows() {
      let after = '';
      for (;;) {
        const page: { id_type: string; id_no: string; name: string; gender: string; region_code: string; region_name: string | null; subjects: string; phone: string; ticket_no: string | null; has_photo: boolean }[] = await ds.query(
          `SELECT r.id_type, r.id_no, r.name, r.gender, r.region_code, g.name AS region_name, (SELECT string_agg(ss.subject_name, '、' ORDER BY ss.seq) FROM sitting_subject ss WHERE ss.sitting_code = r.sitting_code AND ss.subject_code = ANY(r.subjects)) AS subjects, r.phone, a.ticket_no,
             EXISTS (SELECT 1 FROM registrant_photo p WHERE p.registrant_id = r.registrant_id) AS has_photo
           FROM registrant r LEFT JOIN region g ON g.region_code = r.region_code
           LEFT JOIN seat_allocation a ON a.sitting_code = r.sitting_code AND a.registrant_id = r.registrant_id
           WHERE r.sitting_code = $1 AND ($2::text IS NULL OR r.region_code = $2) AND ($3::text IS NULL OR r.id_no = $3) AND r.id_no > $4
           ORDER BY r.id_no LIMIT ${BATCH}`,
          [sittingCode, f.regionCode ?? null, f.idNo?.toUpperCase() ?? null, after],
        );
        if (page.length === 0) return;
        yield page.map((r) => ({
          idType: ID_TYPE_NAME.get(r.id_type) ?? r.id_type, idNo: r.id_no, name: r.name, gender: GENDER[r.gender] ?? r.gender, regionCode: r.region_code, regionName: r.region_name ?? '',
          subjects: r.subjects, phone: r.phone, ticketNo: r.ticket_no ?? '', photo: r.has_photo ? '有' : '无',
        }));
        after = page[page.length - 1].id_no;
      }
    }
    await sendXlsx(res, `报名考生-${sittingCode}${f.regionCode ? `-${f.regionCode}` : ''}.xlsx`, [
      {
        name: '报名考生',
        columns: [
          { header: '证件类型', key: 'idType' }, { header: '证件号码', key: 'idNo', width: 22 }, { header: '姓名', key: 'name' }, { header: '性别', key: 'gender', width: 6 },
          { header: '地区代码', key: 'regionCode' }, { header: '地区', key: 'regionName' }, { header: '报考科目', key: 'subjects', width: 24 }, { header: '手机号', key: 'phone', width: 14 },
          { header: '准考证号', key: 'ticketNo', width: 14 }, { header: '照片', key: 'photo', width: 6 },
        ],
        rows: rows(),
      },
    ]);
  }

  /** 编排结果: one row per candidate × subject, venue by venue, in room, batch, subject and seat order (one sorted cursor). */
  async placements(res: Response, sittingCode: string, f: { regionCode?: string; venueCode?: string }): Promise<void> {
    await this.requireSitting(sittingCode);
    const [venue] = f.venueCode ? await this.ds.query('SELECT 1 FROM venue WHERE venue_code = $1', [f.venueCode]) : [true];
    if (!venue) throw new DomainError('NOT_FOUND', `考点 ${f.venueCode} 不存在`, `venue ${f.venueCode} not found`, 'venueCode');
    type Row = { venue_code: string; venue_name: string; room_code: string; seat_no: number; batch_code: string; subject_name: string; starts_at: Date; ticket_no: string; name: string; id_no: string; region_code: string };
    const batches = cursorBatches<Row>(
      this.ds,
      `SELECT p[3] AS venue_code, v.name AS venue_name, p[4] AS room_code, p[5]::int AS seat_no, p[2] AS batch_code, ss.subject_name, bs.starts_at, a.ticket_no, r.name, r.id_no, r.region_code
       FROM seat_allocation a JOIN registrant r ON r.registrant_id = a.registrant_id
       CROSS JOIN LATERAL (SELECT string_to_array(e, '/') AS p FROM unnest(a.seats) AS e) AS s
       JOIN venue v ON v.venue_code = p[3]
       JOIN sitting_subject ss ON ss.sitting_code = a.sitting_code AND ss.subject_code = p[1]
       JOIN sitting_batch sb ON sb.sitting_code = a.sitting_code AND sb.batch_code = p[2]
       JOIN batch_subject bs ON bs.sitting_code = a.sitting_code AND bs.batch_code = p[2] AND bs.subject_code = p[1]
       WHERE a.sitting_code = $1 AND ($2::text IS NULL OR v.region_code = $2) AND ($3::text IS NULL OR p[3] = $3)
       ORDER BY p[3], p[4], sb.seq, ss.seq, p[5]::int`,
      [sittingCode, f.regionCode ?? null, f.venueCode ?? null],
      BATCH,
    );
    async function* rows() {
      for await (const batch of batches)
        yield batch.map((r) => ({
          venueCode: r.venue_code, venueName: r.venue_name, roomCode: r.room_code, seatNo: Number(r.seat_no), batchCode: r.batch_code, subjectName: r.subject_name,
          startsAt: beijingDateTimeText(r.starts_at), ticketNo: r.ticket_no, name: r.name, idNo: r.id_no, regionCode: r.region_code,
        }));
    }
    await sendXlsx(res, `编排结果-${sittingCode}${f.venueCode ? `-${f.venueCode}` : f.regionCode ? `-${f.regionCode}` : ''}.xlsx`, [
      {
        name: '编排结果',
        columns: [
          { header: '考点代码', key: 'venueCode' }, { header: '考点', key: 'venueName', width: 24 }, { header: '考场', key: 'roomCode', width: 8 }, { header: '座位号', key: 'seatNo', width: 8 },
          { header: '批次', key: 'batchCode', width: 8 }, { header: '科目', key: 'subjectName', width: 14 }, { header: '开考时间（北京时间）', key: 'startsAt', width: 20 },
          { header: '准考证号', key: 'ticketNo', width: 14 }, { header: '姓名', key: 'name' }, { header: '证件号码', key: 'idNo', width: 22 }, { header: '地区代码', key: 'regionCode' },
        ],
        rows: rows(),
      },
    ]);
  }

  /** 未编排考生 with the reason, from the latest allocation (the region's own for a 市、州 考办). */
  async unplaced(res: Response, sittingCode: string, regionCode?: string): Promise<void> {
    const report = await this.allocation.latestReport(sittingCode, regionCode);
    await sendXlsx(res, `未编排考生-${sittingCode}${regionCode ? `-${regionCode}` : ''}.xlsx`, [
      {
        name: '未编排考生',
        columns: [
          { header: '证件号码', key: 'idNo', width: 22 }, { header: '姓名', key: 'name' }, { header: '地区代码', key: 'region' }, { header: '科目', key: 'subjectCode' },
          { header: '原因', key: 'reason', width: 20 }, { header: '原因代码', key: 'reasonCode', width: 22 },
        ],
        rows: [report.unplaced.map((u) => ({ idNo: u.idNo, name: u.name, region: u.region, subjectCode: u.subjectCode ?? '', reason: UNPLACED_REASON[u.reason] ?? u.reason, reasonCode: u.reason }))],
      },
    ]);
  }

  /** 考点与考场: one row per room with spare machines, spare room, management machines, staffing, key and contacts. */
  async venueRooms(res: Response, opts: { regionCode?: string; sittingCode?: string }): Promise<void> {
    const venues = await this.venues.list(opts);
    const rows = venues.flatMap((v) =>
      v.rooms.map((r) => ({
        regionCode: v.regionCode ?? '', regionName: v.regionName ?? '', venueCode: v.venueCode, venueName: v.name, address: v.address ?? '', roomCode: r.roomCode, roomName: r.name,
        layout: `${r.rows} × ${r.cols}`, seats: r.seats, spareMachines: r.spareMachines, allocatable: r.allocatable, spareRoom: r.spareRoom ? '是' : '',
        managementMachines: `${v.managementMachines.total}（每考场 1 台，备用 ${v.managementMachines.spare} 台）`,
        candidates: r.candidates ?? '', proctorsRequired: r.proctorsRequired ? `${r.proctorsRequired.min}–${r.proctorsRequired.max}` : '', proctorsAssigned: r.proctorsAssigned ?? '',
        staffing: r.staffing ? STAFFING[r.staffing] : '', keyRegistered: v.keyRegistered ? '已登记' : '未登记',
        contacts: v.technicalContacts.map((c) => `${CONTACT_ROLE[c.role] ?? c.role} ${c.name} ${c.phone}`).join('；'),
      })),
    );
    await sendXlsx(res, `考点与考场${opts.regionCode ? `-${opts.regionCode}` : ''}.xlsx`, [
      {
        name: '考点与考场',
        columns: [
          { header: '地区代码', key: 'regionCode' }, { header: '地区', key: 'regionName' }, { header: '考点代码', key: 'venueCode' }, { header: '考点', key: 'venueName', width: 24 },
          { header: '地址', key: 'address', width: 28 }, { header: '考场', key: 'roomCode', width: 8 }, { header: '考场名称', key: 'roomName' }, { header: '座位布局（行×列）', key: 'layout' },
          { header: '座位数', key: 'seats', width: 8 }, { header: '备用考试机（5%）', key: 'spareMachines' }, { header: '可编排座位', key: 'allocatable' }, { header: '备用考场', key: 'spareRoom', width: 10 },
          { header: '考试管理机', key: 'managementMachines', width: 28 }, { header: '编排考生（最多的科目）', key: 'candidates' }, { header: '应配监考', key: 'proctorsRequired' },
          { header: '已配监考', key: 'proctorsAssigned' }, { header: '监考配备', key: 'staffing' }, { header: '考点公钥', key: 'keyRegistered' }, { header: '技术联系人', key: 'contacts', width: 40 },
        ],
        rows: [rows],
      },
    ]);
  }

  /** 操作日志 with the screen's filters, newest first. */
  async audit(res: Response, filters: Omit<AuditLogQuery, 'page' | 'pageSize'>): Promise<void> {
    const source = this.auditLog.batches(filters);
    async function* rows() {
      for await (const batch of source)
        yield batch.map((e) => ({ id: e.id, at: new Date(Date.parse(e.at) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '), actor: e.actor, action: e.action, subject: e.subject, reason: e.reason ?? '', details: e.details ? JSON.stringify(e.details) : '' }));
    }
    await sendXlsx(res, '操作日志.xlsx', [
      {
        name: '操作日志',
        columns: [
          { header: '序号', key: 'id', width: 8 }, { header: '时间（北京时间）', key: 'at', width: 18 }, { header: '操作人', key: 'actor', width: 40 }, { header: '操作', key: 'action', width: 26 },
          { header: '对象', key: 'subject', width: 20 }, { header: '原因', key: 'reason', width: 20 }, { header: '详情', key: 'details', width: 60 },
        ],
        rows: rows(),
      },
    ]);
  }

  private async requireSitting(sittingCode: string): Promise<void> {
    const [sitting] = await this.ds.query('SELECT 1 FROM sitting WHERE sitting_code = $1', [sittingCode]);
    if (!sitting) throw new DomainError('NOT_FOUND', `考试计划 ${sittingCode} 不存在`, `sitting ${sittingCode} not found`, 'sittingCode');
  }
}
