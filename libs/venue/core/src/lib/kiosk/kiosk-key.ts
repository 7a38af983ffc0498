import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { kioskAttestationKey, type KioskConfiguration } from '@kaowu/crypto';
import type { VenueConfig } from '../venue-config';

/** The kiosk configuration files the venue ships to its exam machines (deploy/kiosk). */
export function readKioskConfiguration(dir: string): KioskConfiguration {
  const root = resolve(dir);
  const files = { version: 'VERSION', policyJson: join('policies', 'kaowu.json'), chromiumFlags: 'chromium-flags.conf' } as const;
  const missing = Object.values(files).filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0)
    throw new Error(
      `Kiosk configuration incomplete in ${root} (missing ${missing.join(', ')}): the venue derives the exam machines' attestation key from the ` +
        'policy, Chromium flags and version it ships (deploy/kiosk). Set KIOSK_CONFIG_DIR to that directory.',
    );
  const read = (f: string) => readFileSync(join(root, f), 'utf8');
  return { version: read(files.version), policyJson: read(files.policyJson), chromiumFlags: read(files.chromiumFlags) };
}

/** The venue's kiosk secret (kiosk-attestation.key in the data dir), made once at first boot. */
export function venueKioskSecret(dataDir: string): string {
  const path = join(dataDir, 'kiosk-attestation.key');
  if (!existsSync(path)) writeFileSync(path, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

/**
 * The attestation key every exam machine must present (考试机认证): derived from the venue secret and
 * the kiosk configuration, so a plain browser or a changed kiosk is refused. KIOSK_ATTESTATION_KEY
 * replaces it (tests and simulated candidates). Call after initCrypto().
 */
export function expectedKioskKey(config: Pick<VenueConfig, 'KIOSK_ATTESTATION_KEY' | 'KIOSK_CONFIG_DIR' | 'VENUE_DATA_DIR'>): string {
  if (config.KIOSK_ATTESTATION_KEY) return config.KIOSK_ATTESTATION_KEY;
  return kioskAttestationKey(venueKioskSecret(config.VENUE_DATA_DIR), readKioskConfiguration(config.KIOSK_CONFIG_DIR));
}
