import { sha256Hex, toHex, utf8 } from './encoding';
import { lib } from './sodium';

/**
 * 考试机认证 (in the spirit of Safe Exam Browser's Config Key): an exam machine proves it runs the
 * venue's kiosk configuration with a key derived from that configuration and the venue's secret.
 * A plain browser has no key; a machine whose policy, flags or version changed derives another.
 * `deploy/kiosk/kaowu-kiosk-attest.sh` computes the same bytes with sha256sum and python3.
 */
export interface KioskConfiguration {
  /** The kiosk release (deploy/kiosk/VERSION; its first line counts). */
  version: string;
  /** The Chromium policy file exactly as installed (policies/kaowu.json). */
  policyJson: string;
  /** The launcher's Chromium flags file (chromium-flags.conf); comments and blank lines do not count. */
  chromiumFlags: string;
}

export const KIOSK_CONFIG_FORMAT = 'kaowu-kiosk-config/1';

/** The flags in launch order: one per line, trimmed, without `#` comments and blank lines. */
export function kioskFlags(flagsFile: string): string[] {
  return flagsFile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The one byte-exact text both ends hash: header, version, flags, then the policy file verbatim. */
export function canonicalKioskConfiguration(config: KioskConfiguration): string {
  const flags = kioskFlags(config.chromiumFlags).map((flag) => `flag ${flag}\n`);
  return `${KIOSK_CONFIG_FORMAT}\nversion ${(config.version.split('\n')[0] ?? '').trim()}\n${flags.join('')}policy\n${config.policyJson}`;
}

/** SHA-256 (hex) of the canonical kiosk configuration. */
export function kioskConfigDigest(config: KioskConfiguration): string {
  return sha256Hex(canonicalKioskConfiguration(config));
}

/** Attestation key = HMAC-SHA256(venue kiosk secret, config digest hex), lowercase hex. */
export function kioskAttestationKey(venueSecret: string, config: KioskConfiguration): string {
  const s = lib();
  const secret = venueSecret.trim();
  if (secret.length < 16) throw new Error('the venue kiosk secret must be at least 16 characters');
  const state = s.crypto_auth_hmacsha256_init(utf8(secret));
  s.crypto_auth_hmacsha256_update(state, utf8(kioskConfigDigest(config)));
  return toHex(s.crypto_auth_hmacsha256_final(state));
}
