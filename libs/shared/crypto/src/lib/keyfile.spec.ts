import { fromBase64, sha256Hex, toBase64, toHex } from './encoding';
import { protectPartyKeys, ProtectedKeyFile, unlockPartyKeys } from './keyfile';
import { generatePartyKeys, PartyKeys, publicKeysOf } from './keys';
import { initCrypto } from './sodium';

const code = (c: string) => expect.objectContaining({ code: c });

describe('party keys', () => {
  beforeAll(async () => {
    await initCrypto();
  });

  it('derives keyId from the label and the signing public key', () => {
    const keys = generatePartyKeys('venue-0101');
    expect(keys.keyId).toBe(`venue-0101:${sha256Hex(keys.signing.publicKey).slice(0, 16)}`);
    expect(keys.signing.publicKey).toHaveLength(32);
    expect(keys.signing.privateKey).toHaveLength(64);
    expect(keys.box.publicKey).toHaveLength(32);
    expect(keys.box.privateKey).toHaveLength(32);
    expect(generatePartyKeys('venue-0101').keyId).not.toBe(keys.keyId);
  });

  it('publishes base64 public keys only', () => {
    const keys = generatePartyKeys('province');
    const pub = publicKeysOf(keys);
    expect(pub).toEqual({
      keyId: keys.keyId,
      signingPublicKey: toBase64(keys.signing.publicKey),
      boxPublicKey: toBase64(keys.box.publicKey),
    });
    expect(fromBase64(pub.boxPublicKey)).toEqual(keys.box.publicKey);
  });
});

describe('protected key file', () => {
  let keys: PartyKeys;
  let file: ProtectedKeyFile;

  beforeAll(async () => {
    await initCrypto();
    keys = generatePartyKeys('venue-0101');
    file = protectPartyKeys(keys, 'correct horse battery staple', 'interactive');
  });

  it('round-trips through JSON', () => {
    const restored = unlockPartyKeys(JSON.parse(JSON.stringify(file)), 'correct horse battery staple');
    expect(restored.keyId).toBe(keys.keyId);
    expect(restored.signing.privateKey).toEqual(keys.signing.privateKey);
    expect(restored.signing.publicKey).toEqual(keys.signing.publicKey);
    expect(restored.box.privateKey).toEqual(keys.box.privateKey);
    expect(restored.box.publicKey).toEqual(keys.box.publicKey);
  });

  it('records the argon2id parameters it used', () => {
    expect(file).toMatchObject({
      format: 'kaowu.keyfile',
      version: 1,
      keyId: keys.keyId,
      kdf: { alg: 'argon2id13', opslimit: 2, memlimit: 64 * 1024 * 1024 },
    });
    expect(fromBase64(file.kdf.salt)).toHaveLength(16);
  });

  it('rejects a wrong passphrase with WRONG_PASSPHRASE', () => {
    expect(() => unlockPartyKeys(file, 'correct horse battery stapler')).toThrow(code('WRONG_PASSPHRASE'));
  });

  it('never contains the private key bytes', () => {
    const json = JSON.stringify(file);
    expect(json).not.toContain(toBase64(keys.signing.privateKey));
    expect(json).not.toContain(toHex(keys.signing.privateKey));
    // The secret parts: the Ed25519 seed (the second half of libsodium's private key is the public key) and the X25519 key.
    for (const secret of [keys.signing.privateKey.subarray(0, 32), keys.box.privateKey]) {
      expect(json).not.toContain(toBase64(secret));
      expect(json).not.toContain(toHex(secret));
      // base64 of a slice depends on its alignment: try 12-byte windows at every offset
      for (let i = 0; i + 12 <= secret.length; i++) {
        expect(json).not.toContain(toBase64(secret.subarray(i, i + 12)));
      }
    }
  });

  it('binds the public fields: swapping in other public keys does not unlock', () => {
    const other = generatePartyKeys('venue-0101');
    const swapped = { ...file, boxPublicKey: toBase64(other.box.publicKey) };
    expect(() => unlockPartyKeys(swapped, 'correct horse battery staple')).toThrow(code('WRONG_PASSPHRASE'));
  });

  it('rejects malformed files with BAD_FORMAT before running the KDF', () => {
    const pass = 'correct horse battery staple';
    expect(() => unlockPartyKeys({ ...file, format: 'x' } as unknown as ProtectedKeyFile, pass)).toThrow(code('BAD_FORMAT'));
    expect(() => unlockPartyKeys({ ...file, nonce: '!!' }, pass)).toThrow(code('BAD_FORMAT'));
    expect(() => unlockPartyKeys({ ...file, ciphertext: toBase64(new Uint8Array(10)) }, pass)).toThrow(code('BAD_FORMAT'));
    expect(() => unlockPartyKeys({ ...file, keyId: 'venue-0102:0000000000000000' }, pass)).toThrow(code('BAD_FORMAT'));
    // A crafted file must not make us allocate absurd amounts of memory.
    expect(() => unlockPartyKeys({ ...file, kdf: { ...file.kdf, memlimit: 2 ** 40 } }, pass)).toThrow(code('BAD_FORMAT'));
    expect(() => unlockPartyKeys(null as unknown as ProtectedKeyFile, pass)).toThrow(code('BAD_FORMAT'));
  });
});
