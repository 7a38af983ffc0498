import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { body } from './openapi-body';
import { IntakeSession, MinistryExport, OpenResultUpload, ResultUploadStatus, RevokeVenueKey, RoomPackageDetail, SessionCompleteness, SignedReceipt } from '@kaowu/contracts';
import { CompletenessService } from '../intake/completeness.service';
import { MinistryExportService } from '../reporting/ministry-export.service';
import { ResultUploadService } from '../intake/result-upload.service';
import { VenueKeyRevocationService } from '../intake/venue-key-revocation.service';
import { Staff, StaffAccess } from '../auth/staff-access.guard';
import { Venue, VenueAccess, VenuePrincipal, assertOwnVenue } from '../auth/venue-credential';
import { parseInput } from '@kaowu/server-kit';
import type { StaffPrincipal } from '../auth/staff-principal';

const binary = ApiBody({ schema: { type: 'string', format: 'binary' } });

/**
 * 分片上传 and 离线导入 of room result packages; both end in the same intake verification. The
 * package proves itself by its signatures; the dashboard,
 * the ministry export and the file import are for provincial staff, key revocation for the admin.
 * The venue routes take requests signed by the venue's registered key, for that venue's packages only.
 */
@ApiTags('数据接收 intake')
@Controller('api/v1')
export class ResultUploadController {
  constructor(
    @Inject(ResultUploadService) private readonly uploads: ResultUploadService,
    @Inject(VenueKeyRevocationService) private readonly revocations: VenueKeyRevocationService,
    @Inject(CompletenessService) private readonly completeness: CompletenessService,
    @Inject(MinistryExportService) private readonly ministry: MinistryExportService,
  ) {}

  @Get('sessions/:sessionId/ministry-export') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '部级上报：省级签名的场次结果包（格式见 docs/ministry-export.md）/ the signed session export for the ministry' })
  ministryExport(@Staff() staff: StaffPrincipal, @Param('sessionId') sessionId: string): Promise<MinistryExport> {
    return this.ministry.export(sessionId, staff.actor);
  }

  @Get('completeness/sessions') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '已下发考试包的场次 / sessions with venue packages, for the completeness dashboard' })
  intakeSessions(): Promise<IntakeSession[]> {
    return this.completeness.sessions();
  }

  @Get('sessions/:sessionId/completeness') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '回收完整性：每个考点×考场的状态与时限 / every venue × room of a session against the deadline' })
  sessionCompleteness(@Param('sessionId') sessionId: string): Promise<SessionCompleteness> {
    return this.completeness.session(sessionId);
  }

  @Get('result-packages/:packageId') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '考场数据包详情（清单、回执、缺考）/ a received package: manifest, receipt, absent candidates' })
  packageDetail(@Param('packageId') packageId: string): Promise<RoomPackageDetail> {
    return this.completeness.packageDetail(packageId);
  }

  // Only a registered venue stages uploads (signed requests), and only its own rooms' packages.
  @Post('result-uploads') @VenueAccess() @HttpCode(200) @ApiOperation({ summary: '发起（或恢复）分片上传（考点签名）/ open or resume a chunked upload (venue-signed)' }) @body(OpenResultUpload)
  open(@Venue() venue: VenuePrincipal, @Body() input: unknown): Promise<ResultUploadStatus> {
    assertOwnVenue(venue, parseInput(OpenResultUpload, input, '上传请求').venueCode);
    return this.uploads.open(input);
  }

  @Get('result-uploads/:uploadId') @VenueAccess() @ApiOperation({ summary: '已确认的字节数 / the confirmed offset of an upload' })
  async status(@Venue() venue: VenuePrincipal, @Param('uploadId') uploadId: string): Promise<ResultUploadStatus> {
    assertOwnVenue(venue, await this.uploads.venueOf(uploadId), 'uploadId');
    return this.uploads.status(uploadId);
  }

  @Put('result-uploads/:uploadId/chunks/:offset') @VenueAccess() @ApiConsumes('application/octet-stream') @binary
  @ApiOperation({ summary: '上传一个分片（x-chunk-sha256 校验）/ put one chunk at its offset, SHA-256 in x-chunk-sha256' })
  async putChunk(@Venue() venue: VenuePrincipal, @Param('uploadId') uploadId: string, @Param('offset') offset: string, @Body() bytes: unknown, @Headers('x-chunk-sha256') sha256?: string): Promise<ResultUploadStatus> {
    assertOwnVenue(venue, await this.uploads.venueOf(uploadId), 'uploadId');
    return this.uploads.putChunk(uploadId, offset, bytes, sha256);
  }

  @Post('result-uploads/:uploadId/complete') @VenueAccess() @HttpCode(200) @ApiOperation({ summary: '完成上传：校验、导入、返回签名回执 / complete: verify, import, signed receipt' })
  async complete(@Venue() venue: VenuePrincipal, @Param('uploadId') uploadId: string): Promise<SignedReceipt> {
    assertOwnVenue(venue, await this.uploads.venueOf(uploadId), 'uploadId');
    return this.uploads.complete(uploadId);
  }

  @Post('result-files') @StaffAccess('provincial') @HttpCode(200) @ApiConsumes('application/octet-stream') @binary
  @ApiOperation({ summary: '离线导入数据包文件（x-package-sha256 为校验文件中的值）/ import a package file from removable media' })
  importFile(@Body() bytes: unknown, @Headers('x-package-sha256') sha256?: string): Promise<SignedReceipt> {
    return this.uploads.importFile(bytes, sha256);
  }

  @Post('venues/:venueCode/keys/:keyId/revoke') @StaffAccess('provincial') @HttpCode(200) @ApiOperation({ summary: '吊销考点密钥 / revoke a venue key' }) @body(RevokeVenueKey)
  revoke(@Staff() staff: StaffPrincipal, @Param('venueCode') venueCode: string, @Param('keyId') keyId: string, @Body() input: unknown) {
    return this.revocations.revoke(venueCode, keyId, input, staff.actor);
  }
}
