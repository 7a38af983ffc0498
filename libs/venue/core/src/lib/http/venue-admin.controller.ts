import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { Code, EnvironmentReport, SealVenue, StaffSession, StressTestRun, VenuePackageStatus, VenuePauseResume, VenueStaffRole } from '@kaowu/contracts';
import { DomainError, parseInput } from '@kaowu/server-kit';
import { VENUE_CONTEXT, VenueContext } from '../venue-context';
import { VenuePackageService } from '../package/venue-package.service';
import { SessionRegistry } from '../exam-room/session-registry';
import { ExamRoomService } from '../exam-room/exam-room.service';
import { VenueStatusService } from './venue-status.service';
import { EnvironmentCheckService } from '../technician/environment-check.service';
import { VenueStaffService } from '../staff/venue-staff.service';
import { StressTestService } from '../technician/stress-test.service';

const PullPackage = z.object({ sessionId: Code });

/** Technician endpoints: package import and venue status. Loopback or admin token only. */
@Controller('api/v1')
export class VenueAdminController {
  constructor(
    @Inject(VENUE_CONTEXT) private readonly ctx: VenueContext,
    @Inject(VenuePackageService) private readonly packages: VenuePackageService,
    @Inject(SessionRegistry) private readonly sessions: SessionRegistry,
    @Inject(VenueStatusService) private readonly status: VenueStatusService,
    @Inject(ExamRoomService) private readonly rooms: ExamRoomService,
    @Inject(EnvironmentCheckService) private readonly environmentCheck: EnvironmentCheckService,
    @Inject(VenueStaffService) private readonly staff: VenueStaffService,
    @Inject(StressTestService) private readonly stress: StressTestService,
  ) {}

  private authorize(req: Request, roles: readonly VenueStaffRole[] = ['technician']): string {
    return this.staff.authorize(req, roles);
  }

  /** 退出: the sign-in token stops working at once (a console left open on a shared desk). */
  @Post('staff/sign-out')
  @HttpCode(204)
  signOut(@Req() req: Request): void {
    const header = req.headers['authorization'];
    if (typeof header === 'string' && header.startsWith('Bearer ')) this.staff.signOut(header.slice(7));
  }

  /** 主考 / 技术负责人 sign-in with the 工号 and code issued with the venue package. */
  @Post('staff/sign-in')
  signIn(@Req() req: Request, @Body() body: unknown): Promise<StaffSession> {
    return this.staff.signIn(body, req.socket.remoteAddress);
  }

  @Post('packages')
  async importPackage(@Req() req: Request, @Body() body: unknown) {
    const actor = this.authorize(req);
    const result = await this.packages.importPackage(body, actor);
    await this.sessions.reload();
    return result;
  }

  @Post('packages/pull')
  async pull(@Req() req: Request, @Body() body: unknown) {
    const actor = this.authorize(req);
    const { sessionId } = parseInput(PullPackage, body, '下载请求');
    const result = await this.packages.pullPackage(sessionId, actor);
    await this.sessions.reload();
    return result;
  }

  /** 全考点暂停: a venue-wide outage (power, network) stops every candidate's clock. */
  @Post('venue/pause')
  async pauseVenue(@Req() req: Request, @Body() body: unknown) {
    const actor = this.authorize(req, ['technician', 'chief']);
    const { reason } = parseInput(VenuePauseResume, body, '全考点暂停');
    return { attempts: await this.rooms.pause({ actor }, undefined, reason) };
  }

  /** 全考点恢复: every paused candidate gets the paused minutes back. */
  @Post('venue/resume')
  async resumeVenue(@Req() req: Request, @Body() body: unknown) {
    const actor = this.authorize(req, ['technician', 'chief']);
    const { reason } = parseInput(VenuePauseResume, body, '全考点恢复');
    return { attempts: await this.rooms.resume({ actor }, undefined, reason) };
  }

  /** 环境检查: the venue server and each connected exam machine, pass/fail with the reason. */
  @Get('technician/environment')
  environment(@Req() req: Request): Promise<EnvironmentReport> {
    this.authorize(req);
    return this.environmentCheck.report();
  }

  /** 封场: every server check green; records who sealed the venue (the signatures on the checklist). */
  @Post('technician/seal')
  seal(@Req() req: Request, @Body() body: unknown): Promise<EnvironmentReport> {
    const actor = this.authorize(req, ['technician', 'chief']);
    const s = parseInput(SealVenue, body, '封场');
    return this.environmentCheck.sealVenue(actor, s.signedBy);
  }

  /** 考试包与试卷: imported packages and whether each paper is unlocked. */
  @Get('technician/packages')
  packageStatus(@Req() req: Request): Promise<VenuePackageStatus[]> {
    this.authorize(req, ['technician', 'chief']);
    return this.packages.packageStatus();
  }

  /** 压力测试: start a run (refused while candidates are at the machines). */
  @Post('technician/stress-tests')
  startStressTest(@Req() req: Request, @Body() body: unknown): Promise<StressTestRun> {
    const actor = this.authorize(req);
    return this.stress.start(actor, body);
  }

  /** The running or the last run, with its per-second series for the chart. */
  @Get('technician/stress-tests/latest')
  latestStressTest(@Req() req: Request): StressTestRun | null {
    this.authorize(req);
    return this.stress.status();
  }

  @Get('status')
  venueStatus(@Req() req: Request) {
    this.authorize(req, ['technician', 'chief']);
    return this.status.status();
  }

  /** The venue CA certificate, for installing kiosks (compare its fingerprint with the one the server logs). */
  @Get('tls/ca')
  caCertificate() {
    if (!this.ctx.tlsCaPem) throw new DomainError('NOT_FOUND', '本考点服务器未启用 HTTPS（仅本机开发模式）', 'this venue server is not serving HTTPS (loopback development mode)');
    return { caPem: this.ctx.tlsCaPem };
  }

  @Get('venue-keys')
  keys() {
    return { keyId: this.ctx.keys.keyId, venueCode: this.ctx.config.VENUE_CODE, ...publicKeys(this.ctx) };
  }
}

function publicKeys(ctx: VenueContext) {
  return { signingPublicKey: Buffer.from(ctx.keys.signing.publicKey).toString('base64'), boxPublicKey: Buffer.from(ctx.keys.box.publicKey).toString('base64') };
}
