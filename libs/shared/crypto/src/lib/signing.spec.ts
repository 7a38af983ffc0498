import { canonicalJson, fromBase64, toBase64, utf8 } from './encoding';
import { generatePartyKeys, PartyKeys, publicKeysOf } from './keys';
import { KeyResolver, SignedDocument, signBytes, signDocument, verifyBytes, verifyDocument } from './signing';
import { initCrypto } from './sodium';

const code = (c: string) => expect.objectContaining({ code: c });

interface Paper {
  examId: string;
  paperId: string;
  items: { id: string; points: number }[];
  meta?: { note?: string };
}

describe('signed documents', () => {
  let province: PartyKeys;
  let venue: PartyKeys;
  let body: Paper;

  beforeAll(async () => {
    await initCrypto();
    province = generatePartyKeys('province');
    venue = generatePartyKeys('venue-0101');
    body = { examId: 'e-2026', paperId: 'p-1', items: [{ id: 'q1', points: 5 }, { id: 'q2', points: 10 }] };
  });

  it('verifies with a single key, a list of keys or a resolver, and returns the body', () => {
    const doc = signDocument(body, province);
    expect(doc.signature).toMatchObject({ alg: 'ed25519', keyId: province.keyId });
    expect(fromBase64(doc.signature.value)).toHaveLength(64);
    expect(verifyDocument(doc, publicKeysOf(province))).toEqual(body);
    expect(verifyDocument(doc, [publicKeysOf(venue), publicKeysOf(province)])).toEqual(body);
    const resolver: KeyResolver = (id) => (id === province.keyId ? province.signing.publicKey : undefined);
    expect(verifyDocument(doc, resolver)).toEqual(body);
  });

  it('survives a JSON round trip with keys in another order', () => {
    const doc = signDocument(body, province);
    const reordered = JSON.parse(
      JSON.stringify({ signature: doc.signature, body: { items: body.items.map((i) => ({ points: i.points, id: i.id })), paperId: 'p-1', examId: 'e-2026' } }),
    ) as SignedDocument<Paper>;
    expect(verifyDocument(reordered, publicKeysOf(province))).toEqual(body);
  });

  it('rejects a changed body field with BAD_SIGNATURE', () => {
    const doc = signDocument(body, province);
    const tampered: SignedDocument<Paper> = { ...doc, body: { ...doc.body, items: [{ id: 'q1', points: 50 }, doc.body.items[1]] } };
    expect(() => verifyDocument(tampered, publicKeysOf(province))).toThrow(code('BAD_SIGNATURE'));
    const added: SignedDocument<Paper> = { ...doc, body: { ...doc.body, meta: { note: 'x' } } };
    expect(() => verifyDocument(added, publicKeysOf(province))).toThrow(code('BAD_SIGNATURE'));
  });

  it('rejects a document signed by another key presented under the trusted keyId with BAD_SIGNATURE', () => {
    const forged = signDocument(body, venue);
    forged.signature.keyId = province.keyId;
    expect(() => verifyDocument(forged, publicKeysOf(province))).toThrow(code('BAD_SIGNATURE'));
  });

  it('rejects an untrusted keyId with UNKNOWN_SIGNER', () => {
    const doc = signDocument(body, venue);
    expect(() => verifyDocument(doc, publicKeysOf(province))).toThrow(code('UNKNOWN_SIGNER'));
    expect(() => verifyDocument(doc, [])).toThrow(code('UNKNOWN_SIGNER'));
    expect(() => verifyDocument(doc, () => undefined)).toThrow(code('UNKNOWN_SIGNER'));
  });

  it('rejects garbage signatures and non-documents', () => {
    const doc = signDocument(body, province);
    const trusted = publicKeysOf(province);
    expect(() => verifyDocument({ ...doc, signature: { ...doc.signature, value: 'AAAA' } }, trusted)).toThrow(code('BAD_SIGNATURE'));
    expect(() => verifyDocument({ ...doc, signature: { ...doc.signature, value: '%%' } }, trusted)).toThrow(code('BAD_SIGNATURE'));
    expect(() => verifyDocument({ body } as unknown as SignedDocument<Paper>, trusted)).toThrow(code('BAD_FORMAT'));
    expect(() =>
      verifyDocument({ ...doc, signature: { ...doc.signature, alg: 'rsa' } } as unknown as SignedDocument<Paper>, trusted),
    ).toThrow(code('BAD_FORMAT'));
  });

  it('signs over canonicalJson(body), so verifyBytes can check it too', () => {
    const doc = signDocument(body, province);
    expect(verifyBytes(utf8(canonicalJson(body)), doc.signature.value, publicKeysOf(province).signingPublicKey)).toBe(true);
  });
});

describe('signBytes / verifyBytes', () => {
  beforeAll(async () => {
    await initCrypto();
  });

  it('verifies, and says false for other data, other keys or a bad signature', () => {
    const a = generatePartyKeys('a');
    const b = generatePartyKeys('b');
    const data = utf8('hello');
    const sig = signBytes(data, a);
    expect(verifyBytes(data, sig, a.signing.publicKey)).toBe(true);
    expect(verifyBytes(data, sig, toBase64(a.signing.publicKey))).toBe(true);
    expect(verifyBytes(utf8('hellp'), sig, a.signing.publicKey)).toBe(false);
    expect(verifyBytes(data, sig, b.signing.publicKey)).toBe(false);
    expect(verifyBytes(data, 'not base64!', a.signing.publicKey)).toBe(false);
    expect(verifyBytes(data, toBase64(new Uint8Array(63)), a.signing.publicKey)).toBe(false);
    expect(() => verifyBytes(data, sig, new Uint8Array(31))).toThrow(code('BAD_FORMAT'));
  });
});
