import { z } from 'zod';
import { DEFAULT_CJK_FONT } from '@kaowu/server-kit';

export const ProvincialConfigSchema = z.object({
  PROVINCIAL_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  PROVINCIAL_HOST: z.string().default('127.0.0.1'),
  PROVINCIAL_DATA_DIR: z.string().default('var/provincial'),
  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL').optional(),
  KEY_PASSPHRASE: z.string().min(8, 'KEY_PASSPHRASE must be at least 8 characters').optional(),
  /**
   * Bootstrap 省级考办 bearer token (issues the staff tokens). Unset: requests from loopback that
   * carry no token and came through no proxy act as the provincial admin (tests, demo, a local CLI).
   */
  PROVINCIAL_ADMIN_TOKEN: z.string().min(16, 'PROVINCIAL_ADMIN_TOKEN must be at least 16 characters').optional(),
  STATIC_DIR: z.string().default('dist/apps'),
  /**
   * Origins (scheme://host:port, comma-separated) of consoles served elsewhere that may change state
   * here. The console this server serves itself is always allowed; any other page is refused (CSRF).
   */
  CONSOLE_ORIGINS: z.string().default(''),
  /** CJK font for admission tickets (a .ttf/.otf, or a .ttc with the font's PostScript name after '#'). */
  KAOWU_CJK_FONT: z.string().default(DEFAULT_CJK_FONT),
  /** 网上打印准考证: lookups per client address and minute (a token bucket; a burst of as many). */
  TICKET_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
});
export type ProvincialConfig = z.infer<typeof ProvincialConfigSchema>;
