import { canonicalKioskConfiguration, kioskAttestationKey, kioskConfigDigest, kioskFlags } from './kiosk-attestation';
import { initCrypto } from './sodium';

const config = { version: '2026.1\n', policyJson: '{"PrintingEnabled": false}\n', chromiumFlags: '# c\n --kiosk \n\n--incognito\n' };
const secret = 'venue-secret-0123456789';

describe('kiosk attestation key (考试机认证)', () => {
  beforeAll(async () => {
    await initCrypto();
  });

  it('hashes one byte-exact canonical text: version, flags in order, the policy verbatim', () => {
    expect(kioskFlags(config.chromiumFlags)).toEqual(['--kiosk', '--incognito']);
    expect(canonicalKioskConfiguration(config)).toBe('kaowu-kiosk-config/1\nversion 2026.1\nflag --kiosk\nflag --incognito\npolicy\n{"PrintingEnabled": false}\n');
    // the same bytes through sha256sum
    expect(kioskConfigDigest(config)).toBe('0b20c96e19f1e8d82e7c91ae0c1f7a66a5efb73ac3459bf16e649a1a0b930e31');
  });

  it('matches the key deploy/kiosk/kaowu-kiosk-attest.sh prints for the same files and secret', () => {
    expect(kioskAttestationKey(secret, config)).toBe('9e537f643614d17596c0dd11c6bd84e3a63be641e664302459590e373105295d');
    expect(kioskAttestationKey(`${secret}\n`, config)).toBe(kioskAttestationKey(secret, config));
  });

  it('changes with any policy, flag, flag order or version change, and with the secret', () => {
    const key = kioskAttestationKey(secret, config);
    expect(kioskAttestationKey(secret, { ...config, policyJson: '{"PrintingEnabled": true}\n' })).not.toBe(key);
    expect(kioskAttestationKey(secret, { ...config, chromiumFlags: '--kiosk\n--incognito\n--remote-debugging-port=9222\n' })).not.toBe(key);
    expect(kioskAttestationKey(secret, { ...config, chromiumFlags: '--incognito\n--kiosk\n' })).not.toBe(key);
    expect(kioskAttestationKey(secret, { ...config, version: '2026.2' })).not.toBe(key);
    expect(kioskAttestationKey('another-venue-secret-99', config)).not.toBe(key);
    // comments and blank lines are not configuration
    expect(kioskAttestationKey(secret, { ...config, chromiumFlags: '--kiosk\n# why\n--incognito' })).toBe(key);
  });

  it('refuses a secret too short to be one', () => {
    expect(() => kioskAttestationKey('short', config)).toThrow(/at least 16/);
  });
});
