import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditEventsQuery, IssueStaffToken, StaffIdentity } from '@kaowu/contracts';
import { parseInput } from '@kaowu/server-kit';
import { StaffTokenService } from '../auth/staff-token.service';
import { Staff, StaffAccess } from '../auth/staff-access.guard';
import type { StaffPrincipal } from '../auth/staff-principal';

const body = (schema: z.ZodType) => ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object });

@ApiTags('工作人员与审计 staff and audit')
@ApiBearerAuth()
@Controller('api/v1')
export class StaffAccessController {
  constructor(@Inject(StaffTokenService) private readonly tokens: StaffTokenService) {}

  @Get('me') @StaffAccess('read') @ApiOperation({ summary: '当前工作人员身份与权限 / who am I' })
  me(@Staff() staff: StaffPrincipal): StaffIdentity {
    return { actor: staff.actor, role: staff.role, regionCode: staff.regionCode };
  }

  // 退出: the caller's own token stops working at once (a console left open on a shared desk).
  @Post('sign-out') @StaffAccess('read') @HttpCode(200) @ApiOperation({ summary: '退出登录：吊销当前令牌 / sign out: revoke the token of this request' })
  signOut(@Staff() staff: StaffPrincipal) {
    return this.tokens.signOut(staff);
  }

  @Post('staff-tokens') @StaffAccess('provincial') @ApiOperation({ summary: '签发工作人员令牌（只显示一次）/ issue a staff token, shown once' }) @body(IssueStaffToken)
  issue(@Staff() staff: StaffPrincipal, @Body() input: unknown) {
    return this.tokens.issue(input, staff.actor);
  }

  @Get('staff-tokens') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '工作人员令牌（不含密钥）/ staff tokens, without secrets' })
  list() {
    return this.tokens.list();
  }

  @Delete('staff-tokens/:tokenId') @StaffAccess('provincial') @ApiOperation({ summary: '吊销令牌 / revoke a token' })
  revoke(@Staff() staff: StaffPrincipal, @Param('tokenId') tokenId: string) {
    return this.tokens.revoke(tokenId, staff.actor);
  }

  @Get('audit-events') @StaffAccess('provincial', { reads: true }) @ApiOperation({ summary: '审计日志（新的在前）/ the audit log, newest first' })
  audit(@Query() query: unknown) {
    return this.tokens.auditEvents(parseInput(AuditEventsQuery, query, '审计日志查询'));
  }
}
