import * as api from './index';

// Other libraries are written against these exact names; keep them from disappearing silently.
describe('@kaowu/crypto public API', () => {
  it('exports every documented value', () => {
    const names = [
      'initCrypto', 'CryptoError', 'toBase64', 'fromBase64', 'utf8', 'fromUtf8', 'sha256Hex', 'canonicalJson',
      'generatePartyKeys', 'publicKeysOf', 'protectPartyKeys', 'unlockPartyKeys',
      'signDocument', 'verifyDocument', 'signBytes', 'verifyBytes',
      'newDataKey', 'sealDataKey', 'openSealedDataKey', 'wrapKey', 'unwrapKey',
      'encryptBlob', 'decryptBlob', 'sealBlob', 'openBlob',
      'RecordSegmentWriter', 'signSegmentHead', 'openRecordSegment',
      'CHAIN_GENESIS', 'chainNext', 'chainHead', 'verifyChain',
      'kioskAttestationKey', 'kioskConfigDigest',
      'VENUE_AUTH_SCHEME', 'signVenueRequest', 'parseVenueAuthorization', 'verifyVenueRequest', 'keyFingerprint',
    ];
    for (const name of names) expect(api).toHaveProperty(name);
    expect(Object.keys(api).sort()).toEqual([...names].sort());
  });

  it('works end to end after initCrypto()', async () => {
    await api.initCrypto();
    const province = api.generatePartyKeys('province');
    const doc = api.signDocument({ hello: 'world' }, province);
    expect(api.verifyDocument(doc, api.publicKeysOf(province))).toEqual({ hello: 'world' });
    const err = new api.CryptoError('TAMPERED', 'x');
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'CryptoError', code: 'TAMPERED', message: 'x' });
  });
});
