import sodium from 'libsodium-wrappers';
import { argon2idPortable } from './argon2id';
import { initCrypto } from './sodium';

// Vectors from the Argon2 reference implementation's test suite (argon2id, v=19, p=1,
// 32-byte tag, PHC-encoded). libsodium's crypto_pwhash pads nothing, so we feed the
// 8-byte salt as is.
function phcTag(b64: string): string {
  return sodium.to_hex(sodium.from_base64(b64, sodium.base64_variants.ORIGINAL_NO_PADDING));
}

function run(pwd: string, salt: string, t: number, mKiB: number): string {
  return sodium.to_hex(argon2idPortable(32, sodium.from_string(pwd), sodium.from_string(salt), t, mKiB * 1024));
}

describe('argon2idPortable', () => {
  beforeAll(async () => {
    await initCrypto();
  });

  it('matches the reference vector m=256 KiB, t=2', () => {
    expect(run('password', 'somesalt', 2, 256)).toBe(phcTag('nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4'));
  });

  it('matches the reference vector m=64 MiB, t=2 (the INTERACTIVE cost)', () => {
    expect(run('password', 'somesalt', 2, 65536)).toBe(
      '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7',
    );
  });

  it('matches the reference vectors for t=1 and t=4 (m=64 MiB)', () => {
    expect(run('password', 'somesalt', 1, 65536)).toBe(phcTag('9qWtwbpyPd3vm1rB1GThgPzZ3/ydHL92zKL+15XZypg'));
  });
});
