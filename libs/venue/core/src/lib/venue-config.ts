import { z } from 'zod';
import { DEFAULT_CJK_FONT } from '@kaowu/server-kit';

/** Venue server configuration, parsed once at boot from the environment. */
export const VenueConfigSchema = z.object({
  VENUE_PORT: z.coerce.number().int().min(0).max(65535).default(3200),
  VENUE_HOST: z.string().default('127.0.0.1'),
  VENUE_CODE: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'VENUE_CODE must be the venue code registered at the province (letters, digits, - or _)').default('V001'),
  VENUE_DATA_DIR: z.string().default('var/venue'),
  /** 答题信息加密备份: the encrypted answer journal, on a second disk in production. */
  BACKUP_DIR: z.string().default('var/venue-backup'),
  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL').optional(),
  PROVINCE_URL: z.string().url('PROVINCE_URL must be the provincial server URL, e.g. http://127.0.0.1:3100').default('http://127.0.0.1:3100'),
  /** Replaces the derived kiosk attestation key (tests, simulated candidates); unset in a real venue. */
  KIOSK_ATTESTATION_KEY: z.string().min(16, 'KIOSK_ATTESTATION_KEY must be at least 16 characters').optional(),
  /** The kiosk configuration the venue ships (policy, Chromium flags, version): the attestation key is derived from it. */
  KIOSK_CONFIG_DIR: z.string().default('deploy/kiosk'),
  KEY_PASSPHRASE: z.string().min(8, 'KEY_PASSPHRASE must be at least 8 characters').optional(),
  ADMIN_TOKEN: z.string().min(16).optional(),
  STATIC_DIR: z.string().default('dist/apps'),
  /** Origins of consoles served elsewhere (a dev server) that may change state; the venue's own pages always may. */
  CONSOLE_ORIGINS: z.string().default(''),
  /** CJK font for printed room reports (a .ttf/.otf, or a .ttc with the face's PostScript name after '#'). */
  KAOWU_CJK_FONT: z.string().default(DEFAULT_CJK_FONT),
  /**
   * HTTPS/WSS with the venue certificate (a venue CA made at setup). `auto`: on unless the server
   * listens on loopback only. Plain HTTP is refused on any other address.
   */
  VENUE_TLS: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Names the exam machines reach the venue server by; the first one is the certificate's CN. */
  VENUE_TLS_HOSTNAMES: z
    .string()
    .default('kaowu-venue.local,localhost,127.0.0.1')
    .transform((s) => s.split(',').map((h) => h.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9.:-]+$/, 'VENUE_TLS_HOSTNAMES: comma-separated host names or IP addresses')).min(1)),
  /** Size of each chunk of a result package upload to the province (the province caps it at 8 MiB). */
  RESULT_UPLOAD_CHUNK_BYTES: z.coerce.number().int().min(1024, 'RESULT_UPLOAD_CHUNK_BYTES must be at least 1024').max(8 * 1024 * 1024).default(1024 * 1024),
  /**
   * 核查无误 before upload: a closed room is sealed and uploaded once its proctors confirm the
   * verification, or at the latest this many minutes after its close (so a forgotten confirmation
   * never misses the 30-minute deadline). 0 seals at the close.
   */
  RESULT_CONFIRMATION_GRACE_MINUTES: z.coerce.number().int().min(0).max(20).default(10),
  /** Group-commit window for answer saves, in ms. */
  ANSWER_COMMIT_WINDOW_MS: z.coerce.number().min(0).max(50).default(3),
});
export type VenueConfig = z.infer<typeof VenueConfigSchema>;
/** What callers may pass (before defaults and transforms). */
export type VenueConfigInput = z.input<typeof VenueConfigSchema>;
