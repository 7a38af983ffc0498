import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initCrypto } from '@kaowu/crypto';
import { expectedKioskKey, venueKioskSecret } from './kiosk-key';

const KIOSK_DIR = resolve(__dirname, '../../../../../../deploy/kiosk');

describe('the venue expected kiosk key (考试机认证)', () => {
  let dir: string;
  beforeAll(async () => {
    await initCrypto();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kaowu-kiosk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the key the kiosk launcher derives from the shipped configuration and the venue secret', () => {
    const key = expectedKioskKey({ VENUE_DATA_DIR: dir, KIOSK_CONFIG_DIR: KIOSK_DIR });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // the secret is made once and kept
    expect(expectedKioskKey({ VENUE_DATA_DIR: dir, KIOSK_CONFIG_DIR: KIOSK_DIR })).toBe(key);
    const fromScript = execFileSync(join(KIOSK_DIR, 'kaowu-kiosk-attest.sh'), ['--secret', join(dir, 'kiosk-attestation.key')], { encoding: 'utf8' }).trim();
    expect(fromScript).toBe(key);
  });

  it('differs when the kiosk configuration was changed, and the override wins for tests', () => {
    const key = expectedKioskKey({ VENUE_DATA_DIR: dir, KIOSK_CONFIG_DIR: KIOSK_DIR });
    const changed = join(dir, 'kiosk');
    cpSync(KIOSK_DIR, changed, { recursive: true });
    const flags = join(changed, 'chromium-flags.conf');
    writeFileSync(flags, readFileSync(flags, 'utf8').replace('--disable-dev-tools\n', ''));
    expect(expectedKioskKey({ VENUE_DATA_DIR: dir, KIOSK_CONFIG_DIR: changed })).not.toBe(key);
    expect(expectedKioskKey({ VENUE_DATA_DIR: dir, KIOSK_CONFIG_DIR: changed, KIOSK_ATTESTATION_KEY: 'override-key-for-tests' })).toBe('override-key-for-tests');
  });

  it('fails at boot with a message naming the setting when the configuration is missing', () => {
    venueKioskSecret(dir);
    expect(() => expectedKioskKey({ VENUE_DATA_DIR: dir, KIOSK_CONFIG_DIR: join(dir, 'nowhere') })).toThrow(/KIOSK_CONFIG_DIR/);
  });
});
