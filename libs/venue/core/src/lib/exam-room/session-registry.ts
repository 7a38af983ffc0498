import { Inject, Injectable } from '@nestjs/common';
import { SessionSchedule } from '@kaowu/contracts';
import { RoomTimeline } from '@kaowu/exam-domain';
import { DomainError } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';

export interface LoadedSession {
  schedule: SessionSchedule;
  timeline: RoomTimeline;
  packageId: string;
}

/** Imported sessions and their timelines (small; reloaded after an import). */
@Injectable()
export class SessionRegistry {
  private sessions = new Map<string, LoadedSession>();
  /** Bumped by every reload (a package import): caches of the roster compare against it. */
  generation = 0;

  constructor(@Inject(VENUE_CONTEXT) private readonly ctx: VenueContext) {}

  async reload(): Promise<void> {
    const rows: { session_id: string; package_id: string; schedule: SessionSchedule }[] = await this.ctx.db.dataSource.query('SELECT session_id, package_id, schedule FROM exam_session');
    this.sessions = new Map(
      rows.map((r) => [
        r.session_id,
        {
          schedule: r.schedule,
          packageId: r.package_id,
          timeline: new RoomTimeline({
            startsAt: new Date(r.schedule.startsAt),
            durationMinutes: r.schedule.durationMinutes,
            lateLoginCutoffMinutes: r.schedule.lateLoginCutoffMinutes,
            minMinutesBeforeHandIn: r.schedule.minMinutesBeforeHandIn,
          }),
        },
      ]),
    );
    this.generation++;
  }

  all(): LoadedSession[] {
    return [...this.sessions.values()];
  }

  get(sessionId: string): LoadedSession | undefined {
    return this.sessions.get(sessionId);
  }

  /**
   * The session a candidate sits now: the latest one whose login has opened (a venue runs several
   * sessions a day: the next one takes over at its T-30), else the next one to come.
   */
  current(now: Date): LoadedSession | undefined {
    const list = this.all().sort((a, b) => a.timeline.startsAt.getTime() - b.timeline.startsAt.getTime());
    const opened = list.filter((s) => now >= s.timeline.loginOpensAt);
    return opened[opened.length - 1] ?? list[0];
  }

  /** The current session, or the refusal every caller gives when the venue has none imported. */
  require(now: Date): LoadedSession {
    const session = this.current(now);
    if (!session) throw new DomainError('SESSION_CLOSED', '本考点当前没有考试场次', 'no exam session at this venue');
    return session;
  }
}
