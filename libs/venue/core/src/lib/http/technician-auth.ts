import type { Request } from 'express';
import { DomainError } from '@kaowu/server-kit';
import type { VenueContext } from '../venue-context';

/** Technician endpoints: the admin token when one is configured, else loopback only. Returns the actor. */
export function authorizeTechnician(ctx: VenueContext, req: Request): string {
  const token = ctx.config.ADMIN_TOKEN;
  if (token) {
    if (req.headers['authorization'] !== `Bearer ${token}`) throw new DomainError('UNAUTHORIZED', '需要技术负责人令牌', 'admin token required');
    return 'technician';
  }
  const ip = req.socket.remoteAddress ?? '';
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(ip)) throw new DomainError('FORBIDDEN', '未配置管理令牌时只允许本机操作', 'without ADMIN_TOKEN only loopback may administer');
  return 'technician@localhost';
}
