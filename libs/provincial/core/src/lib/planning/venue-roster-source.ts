import type { DataSource } from 'typeorm';
import type { RosterCandidate, SessionSchedule } from '@kaowu/contracts';
import { CandidatePhoto } from '@kaowu/contracts';
import { DomainError } from '@kaowu/server-kit';

/** Who sits a session at a venue, and when: read from the exam plan's allocation or from the skeleton's candidate table. */
export interface VenueRoster {
  schedule: SessionSchedule;
  candidates: RosterCandidate[];
}

export interface SessionRow {
  session_id: string;
  starts_at: Date;
  release_at: Date;
  paper_id: string;
  sitting_code: string | null;
  batch_code: string | null;
  subject_code: string | null;
  exam_code: string;
}

const PHOTO_MEDIA_TYPE = { jpg: 'image/jpeg', png: 'image/png' } as const;

/** 考生名单 of a venue from the seat allocation: everyone seated there for the session's batch and subject, with photos. */
export async function allocatedRoster(ds: DataSource, s: SessionRow, venueCode: string): Promise<VenueRoster> {
  const [plan]: { name: string; subject_name: string; duration_minutes: number; late_login_cutoff_minutes: number; min_minutes_before_hand_in: number }[] = await ds.query(
    `SELECT t.name, ss.subject_name, ss.duration_minutes, t.late_login_cutoff_minutes, t.min_minutes_before_hand_in
     FROM sitting t JOIN sitting_subject ss ON ss.sitting_code = t.sitting_code WHERE t.sitting_code = $1 AND ss.subject_code = $2`,
    [s.sitting_code, s.subject_code],
  );
  // seats are 'subject/batch/venue/room/seat'
  const prefix = `${s.subject_code}/${s.batch_code}/${venueCode}/`;
  const rows: { registrant_id: string; ticket_no: string; id_no: string; name: string; gender: 'M' | 'F'; seat: string; format: 'jpg' | 'png' | null; photo: Buffer | null }[] = await ds.query(
    `SELECT r.registrant_id::text, a.ticket_no, r.id_no, r.name, r.gender, e AS seat, p.format, p.data AS photo
     FROM seat_allocation a CROSS JOIN LATERAL unnest(a.seats) AS e
     JOIN registrant r ON r.registrant_id = a.registrant_id LEFT JOIN registrant_photo p ON p.registrant_id = r.registrant_id
     WHERE a.sitting_code = $1 AND starts_with(e, $2) ORDER BY a.ticket_no`,
    [s.sitting_code, prefix],
  );
  const tooLarge = rows.filter((r) => r.photo && !CandidatePhoto.shape.data.safeParse(r.photo.toString('base64')).success).map((r) => r.id_no);
  if (tooLarge.length > 0)
    throw new DomainError(
      'VALIDATION_FAILED',
      `${tooLarge.length} 名考生的照片超过考点名单允许的 64 KB，请重新导入较小的照片后再生成考试包`,
      `${tooLarge.length} registrants' photos exceed the roster's 64 KB; import smaller photos and build the package again`,
      'photo',
      { idNos: tooLarge.slice(0, 100) },
    );
  return {
    schedule: {
      sessionId: s.session_id,
      examCode: s.sitting_code as string,
      examName: plan.name,
      subjectCode: s.subject_code as string,
      subjectName: plan.subject_name,
      startsAt: new Date(s.starts_at).toISOString(),
      durationMinutes: plan.duration_minutes,
      lateLoginCutoffMinutes: plan.late_login_cutoff_minutes,
      minMinutesBeforeHandIn: plan.min_minutes_before_hand_in,
    },
    candidates: rows.map((r) => {
      const [, , , roomCode, seatNo] = r.seat.split('/');
      return {
        candidateId: r.registrant_id, ticketNo: r.ticket_no, idNo: r.id_no, name: r.name, gender: r.gender, roomCode, seatNo: Number(seatNo),
        ...(r.photo && r.format ? { photo: { mediaType: PHOTO_MEDIA_TYPE[r.format], data: r.photo.toString('base64') } } : {}),
      };
    }),
  };
}

/** The skeleton's roster: the candidate table with fixed seats (mock exam, demo, the protocol tests). */
export async function registeredRoster(ds: DataSource, s: SessionRow, venueCode: string): Promise<VenueRoster> {
  const [exam]: { exam_name: string; subject_code: string; subject_name: string; duration_minutes: number; late_login_cutoff_minutes: number; min_minutes_before_hand_in: number }[] = await ds.query(
    'SELECT * FROM exam WHERE exam_code = $1',
    [s.exam_code],
  );
  const candidates: { candidate_id: string; ticket_no: string; id_no: string; name: string; gender: 'M' | 'F'; room_code: string; seat_no: number;
    photo_media_type: 'image/jpeg' | 'image/png' | null; photo_data: string | null }[] = await ds.query('SELECT * FROM candidate WHERE venue_code = $1 ORDER BY ticket_no', [venueCode]);
  return {
    schedule: {
      sessionId: s.session_id,
      examCode: s.exam_code,
      examName: exam.exam_name,
      subjectCode: exam.subject_code,
      subjectName: exam.subject_name,
      startsAt: new Date(s.starts_at).toISOString(),
      durationMinutes: exam.duration_minutes,
      lateLoginCutoffMinutes: exam.late_login_cutoff_minutes,
      minMinutesBeforeHandIn: exam.min_minutes_before_hand_in,
    },
    candidates: candidates.map((c) => ({ candidateId: c.candidate_id, ticketNo: c.ticket_no, idNo: c.id_no, name: c.name, gender: c.gender, roomCode: c.room_code, seatNo: c.seat_no,
      ...(c.photo_media_type && c.photo_data ? { photo: { mediaType: c.photo_media_type, data: c.photo_data } } : {}) })),
  };
}
