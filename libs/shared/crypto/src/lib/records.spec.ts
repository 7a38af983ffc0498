import { fromBase64, fromUtf8, sha256Hex, toBase64, utf8 } from './encoding';
import { generatePartyKeys, PartyKeys } from './keys';
import { EncryptedRecord, openRecordSegment, RecordSegmentHeader, RecordSegmentWriter, SignedSegmentHead, signSegmentHead } from './records';
import { initCrypto } from './sodium';

const code = (c: string) => expect.objectContaining({ code: c });
const N = 1000;

function answer(i: number): string {
  return JSON.stringify({ attemptId: `att-${i % 37}`, itemId: `q${i}`, value: 'B'.repeat(i % 50), seq: i });
}

describe('encrypted record segments', () => {
  let province: PartyKeys;
  let venue: PartyKeys;
  let header: RecordSegmentHeader;
  let records: EncryptedRecord[];
  let signedHead: SignedSegmentHead;
  let expectedHead: { head: SignedSegmentHead; venueSigningPublicKey: Uint8Array };

  beforeAll(async () => {
    await initCrypto();
    province = generatePartyKeys('province');
    venue = generatePartyKeys('venue-0101');
    const writer = RecordSegmentWriter.create('venue-0101/seg-000042', province.box.publicKey, '2026-06-07T08:00:00.000Z');
    expect(writer.head).toEqual({ index: -1, hash: writer.header.genesis });
    records = [];
    for (let i = 0; i < N; i++) records.push(writer.append(utf8(answer(i))));
    header = writer.header;
    expect(writer.head).toEqual({ index: N - 1, hash: records[N - 1].hash });
    signedHead = signSegmentHead(header, N, writer.head.hash, venue);
    expectedHead = { head: signedHead, venueSigningPublicKey: venue.signing.publicKey };
  });

  // head: the venue's signed head by default, null for none (undefined would select the default).
  const open = (recs: EncryptedRecord[], head: typeof expectedHead | null = expectedHead, who: PartyKeys = province) =>
    openRecordSegment(header, recs, who, head ?? undefined);

  it('writes a self-describing header whose chain starts at sha256(segmentId)', () => {
    expect(header).toMatchObject({ format: 'kaowu.segment', version: 1, segmentId: 'venue-0101/seg-000042', createdAt: '2026-06-07T08:00:00.000Z' });
    expect(header.genesis).toBe(sha256Hex('venue-0101/seg-000042'));
    expect(records.map((r) => r.index)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(new Set(records.map((r) => r.nonce)).size).toBe(N);
  });

  it('round-trips 1,000 records, with and without a signed head, through JSON', () => {
    const viaJson = JSON.parse(JSON.stringify({ header, records })) as { header: RecordSegmentHeader; records: EncryptedRecord[] };
    const out = openRecordSegment(viaJson.header, viaJson.records, province, { head: signedHead, venueSigningPublicKey: toBase64(venue.signing.publicKey) });
    expect(out).toHaveLength(N);
    expect(out.map(fromUtf8)).toEqual(Array.from({ length: N }, (_, i) => answer(i)));
    expect(open(records, null)).toHaveLength(N);
  });

  it('detects a flipped ciphertext or nonce byte as TAMPERED', () => {
    const ct = fromBase64(records[500].ciphertext);
    ct[7] ^= 0x20;
    const recs = records.slice();
    recs[500] = { ...records[500], ciphertext: toBase64(ct) };
    expect(() => open(recs)).toThrow(code('TAMPERED'));
    const nonce = fromBase64(records[0].nonce);
    nonce[0] ^= 0x01;
    const recs2 = records.slice();
    recs2[0] = { ...records[0], nonce: toBase64(nonce) };
    expect(() => open(recs2, null)).toThrow(code('TAMPERED'));
  });

  it('detects a dropped record in the middle as RECORD_DROPPED', () => {
    const recs = records.filter((r) => r.index !== 400);
    expect(() => open(recs)).toThrow(code('RECORD_DROPPED'));
    expect(() => open(records.slice(1), null)).toThrow(code('RECORD_DROPPED'));
  });

  it('detects a renumbered gap (index bound in AD) as TAMPERED', () => {
    const recs = records.filter((r) => r.index !== 400).map((r, i) => ({ ...r, index: i }));
    expect(() => open(recs, null)).toThrow(code('TAMPERED'));
  });

  it('detects two swapped records as RECORD_REORDERED', () => {
    const recs = records.slice();
    [recs[10], recs[11]] = [recs[11], recs[10]];
    expect(() => open(recs)).toThrow(code('RECORD_REORDERED'));
    const dup = records.slice();
    dup.splice(5, 0, records[5]);
    expect(() => open(dup)).toThrow(code('RECORD_REORDERED'));
  });

  it('detects dropped last records against the signed head as TRUNCATED', () => {
    expect(() => open(records.slice(0, N - 3))).toThrow(code('TRUNCATED'));
    expect(() => open([])).toThrow(code('TRUNCATED'));
    // Without a signed head a cut-off tail is undetectable by design: that is what the head is for.
    expect(open(records.slice(0, N - 3), null)).toHaveLength(N - 3);
  });

  it('rejects a forged or altered signed head as BAD_SIGNATURE', () => {
    const intruder = generatePartyKeys('venue-0101');
    const forged = signSegmentHead(header, N - 3, records[N - 4].hash, intruder);
    expect(() => open(records.slice(0, N - 3), { head: { ...forged, keyId: venue.keyId }, venueSigningPublicKey: venue.signing.publicKey })).toThrow(
      code('BAD_SIGNATURE'),
    );
    const lowered = { ...signedHead, count: N - 3, head: records[N - 4].hash };
    expect(() => open(records.slice(0, N - 3), { head: lowered, venueSigningPublicKey: venue.signing.publicKey })).toThrow(code('BAD_SIGNATURE'));
  });

  it('detects a changed hash field as CHAIN_BROKEN', () => {
    const recs = records.slice();
    recs[123] = { ...records[123], hash: sha256Hex('forged') };
    expect(() => open(recs)).toThrow(code('CHAIN_BROKEN'));
    expect(() => open(recs, null)).toThrow(code('CHAIN_BROKEN'));
    expect(() => openRecordSegment({ ...header, genesis: sha256Hex('other') }, records, province)).toThrow(code('CHAIN_BROKEN'));
  });

  it('does not let the venue (the sender) open its own segment: WRONG_RECIPIENT', () => {
    expect(() => open(records, expectedHead, venue)).toThrow(code('WRONG_RECIPIENT'));
  });

  it('accepts records beyond an older signed head if the chain passes through it', () => {
    const older = signSegmentHead(header, 500, records[499].hash, venue);
    expect(open(records, { head: older, venueSigningPublicKey: venue.signing.publicKey })).toHaveLength(N);
    const wrongHead = signSegmentHead(header, 500, records[500].hash, venue);
    expect(() => open(records, { head: wrongHead, venueSigningPublicKey: venue.signing.publicKey })).toThrow(code('CHAIN_BROKEN'));
  });

  it('handles an empty segment', () => {
    const writer = RecordSegmentWriter.create('empty', province.box.publicKey, '2026-06-07T08:00:00.000Z');
    const head = signSegmentHead(writer.header, 0, writer.head.hash, venue);
    expect(openRecordSegment(writer.header, [], province, { head, venueSigningPublicKey: venue.signing.publicKey })).toEqual([]);
  });
});
