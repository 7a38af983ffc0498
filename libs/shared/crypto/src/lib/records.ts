import { canonicalJson, concatBytes, fromBase64, isHash, sha256, sha256Hex, toBase64, toHex, utf8 } from './encoding';
import { DATA_KEY_BYTES, newDataKey, openSealedDataKey, sealDataKey } from './envelope';
import { CryptoError } from './errors';
import { PartyKeys } from './keys';
import { signBytes, verifyBytes } from './signing';
import { lib } from './sodium';

// An append-only, encrypted, hash-chained journal segment. One data key per segment is
// sealed once to the recipient (sealing per record costs ~0.5 ms and does not scale);
// each record is then AEAD-encrypted under it and chained:
//   AD_i   = utf8(`${segmentId}|${i}|${prevHash}`)
//   hash_i = sha256(prevHash(32 raw bytes) || u64be(i) || nonce(24) || ciphertext), hex
// with prevHash of record 0 = genesis = sha256Hex(utf8(segmentId)).

export interface RecordSegmentHeader {
  format: 'kaowu.segment';
  version: 1;
  segmentId: string;
  sealedKey: string;
  /** Informational; not authenticated. */
  createdAt: string;
  /** hex, chain start = sha256(segmentId) */
  genesis: string;
}

export interface EncryptedRecord {
  /** 0-based position in the segment */
  index: number;
  /** base64, 24 bytes */
  nonce: string;
  /** base64 */
  ciphertext: string;
  /** hex chain hash after this record */
  hash: string;
}

export interface SignedSegmentHead {
  segmentId: string;
  count: number;
  head: string;
  /** base64 Ed25519 over utf8(canonicalJson({segmentId, count, head})) */
  signature: string;
  keyId: string;
}

const NONCE_BYTES = 24;

function recordAd(segmentId: string, index: number, prevHash: string): Uint8Array {
  return utf8(`${segmentId}|${index}|${prevHash}`);
}

function u64be(n: number): Uint8Array {
  const b = new Uint8Array(8);
  const hi = Math.floor(n / 4294967296);
  const lo = n >>> 0;
  for (let i = 0; i < 4; i++) {
    b[3 - i] = (hi >>> (8 * i)) & 0xff;
    b[7 - i] = (lo >>> (8 * i)) & 0xff;
  }
  return b;
}

function chainHash(prevHash: string, index: number, nonce: Uint8Array, ciphertext: Uint8Array): string {
  return toHex(sha256(concatBytes(lib().from_hex(prevHash), u64be(index), nonce, ciphertext)));
}

export class RecordSegmentWriter {
  readonly header: RecordSegmentHeader;
  private readonly dataKey: Uint8Array;
  private count = 0;
  private hash: string;

  private constructor(header: RecordSegmentHeader, dataKey: Uint8Array) {
    this.header = header;
    this.dataKey = dataKey;
    this.hash = header.genesis;
  }

  /** The writer keeps the data key only in memory: once it is gone, only the recipient can read the segment. */
  static create(segmentId: string, recipientBoxPublicKey: Uint8Array | string, createdAt: string): RecordSegmentWriter {
    if (typeof segmentId !== 'string' || segmentId.length === 0) {
      throw new CryptoError('BAD_FORMAT', 'segmentId must be a non-empty string');
    }
    const dataKey = newDataKey();
    const header: RecordSegmentHeader = {
      format: 'kaowu.segment',
      version: 1,
      segmentId,
      sealedKey: sealDataKey(dataKey, recipientBoxPublicKey),
      createdAt,
      genesis: sha256Hex(segmentId),
    };
    return new RecordSegmentWriter(header, dataKey);
  }

  append(record: Uint8Array): EncryptedRecord {
    const s = lib();
    const index = this.count;
    // Each segment has its own random data key, so the record index alone makes every
    // (key, nonce) pair unique: a counter nonce is safe here, and it spares the hot path
    // libsodium's randombytes, which calls back into JS for every 4 bytes.
    const nonce = new Uint8Array(NONCE_BYTES);
    nonce.set(u64be(index), NONCE_BYTES - 8);
    const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
      record,
      recordAd(this.header.segmentId, index, this.hash),
      null,
      nonce,
      this.dataKey,
    );
    const hash = chainHash(this.hash, index, nonce, ct);
    this.count = index + 1;
    this.hash = hash;
    return { index, nonce: toBase64(nonce), ciphertext: toBase64(ct), hash };
  }

  /** Index of the last record (-1 if none) and the current chain hash (genesis if none). */
  get head(): { index: number; hash: string } {
    return { index: this.count - 1, hash: this.hash };
  }
}

function headMessage(segmentId: string, count: number, head: string): Uint8Array {
  return utf8(canonicalJson({ segmentId, count, head }));
}

/** The venue's signed statement "segment X has `count` records ending in chain hash `head`". */
export function signSegmentHead(
  header: RecordSegmentHeader,
  count: number,
  head: string,
  signer: PartyKeys,
): SignedSegmentHead {
  if (!Number.isInteger(count) || count < 0) throw new CryptoError('BAD_FORMAT', 'count must be a non-negative integer');
  if (!isHash(head)) throw new CryptoError('BAD_FORMAT', 'head must be 64 lowercase hex chars');
  const { segmentId } = header;
  return { segmentId, count, head, signature: signBytes(headMessage(segmentId, count, head), signer), keyId: signer.keyId };
}

function checkHeader(header: RecordSegmentHeader): void {
  if (
    typeof header !== 'object' || header === null ||
    header.format !== 'kaowu.segment' || header.version !== 1 ||
    typeof header.segmentId !== 'string' || header.segmentId.length === 0 ||
    typeof header.sealedKey !== 'string' || !isHash(header.genesis)
  ) {
    throw new CryptoError('BAD_FORMAT', 'not a kaowu.segment v1 header');
  }
  if (header.genesis !== sha256Hex(header.segmentId)) {
    throw new CryptoError('CHAIN_BROKEN', 'segment genesis does not match its segmentId');
  }
}

function checkRecordShape(r: EncryptedRecord, pos: number): void {
  if (
    typeof r !== 'object' || r === null || !Number.isInteger(r.index) || r.index < 0 ||
    typeof r.nonce !== 'string' || typeof r.ciphertext !== 'string' || typeof r.hash !== 'string'
  ) {
    throw new CryptoError('BAD_FORMAT', `record at position ${pos} is malformed`);
  }
}

/**
 * Decrypts and verifies a whole segment, in order. Checks, in this order:
 * structure (RECORD_REORDERED for indices out of order or repeated, RECORD_DROPPED for a gap),
 * the signed head if given (BAD_SIGNATURE, TRUNCATED when fewer records than it counts),
 * the data key (WRONG_RECIPIENT), then per record the AEAD (TAMPERED) and the chain hash (CHAIN_BROKEN).
 * Records beyond a signed head's count are accepted (the head is a checkpoint), but the chain
 * must pass through the signed head.
 */
export function openRecordSegment(
  header: RecordSegmentHeader,
  records: EncryptedRecord[],
  recipient: PartyKeys,
  expectedHead?: { head: SignedSegmentHead; venueSigningPublicKey: Uint8Array | string },
): Uint8Array[] {
  checkHeader(header);
  if (!Array.isArray(records)) throw new CryptoError('BAD_FORMAT', 'records must be an array');
  records.forEach(checkRecordShape);

  for (let i = 1; i < records.length; i++) {
    if (records[i].index <= records[i - 1].index) {
      throw new CryptoError('RECORD_REORDERED', `record ${records[i].index} follows record ${records[i - 1].index}`);
    }
  }
  for (let i = 0; i < records.length; i++) {
    if (records[i].index !== i) {
      throw new CryptoError('RECORD_DROPPED', `record ${i} is missing (next present is ${records[i].index})`);
    }
  }

  if (expectedHead) {
    const { head, venueSigningPublicKey } = expectedHead;
    if (typeof head !== 'object' || head === null || !Number.isInteger(head.count) || head.count < 0 || !isHash(head.head)) {
      throw new CryptoError('BAD_FORMAT', 'malformed signed segment head');
    }
    if (!verifyBytes(headMessage(head.segmentId, head.count, head.head), head.signature, venueSigningPublicKey)) {
      throw new CryptoError('BAD_SIGNATURE', 'signed segment head does not verify');
    }
    if (head.segmentId !== header.segmentId) {
      throw new CryptoError('BAD_FORMAT', `signed head is for segment ${head.segmentId}, not ${header.segmentId}`);
    }
    if (records.length < head.count) {
      throw new CryptoError('TRUNCATED', `segment has ${records.length} records, the signed head counts ${head.count}`);
    }
    if (head.count === 0 && head.head !== header.genesis) {
      throw new CryptoError('CHAIN_BROKEN', 'signed head of an empty segment is not the genesis');
    }
  }

  const key = openSealedDataKey(header.sealedKey, recipient);
  if (key.length !== DATA_KEY_BYTES) throw new CryptoError('BAD_FORMAT', 'bad segment key');
  const s = lib();
  const out: Uint8Array[] = [];
  let prev = header.genesis;
  try {
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      let nonce: Uint8Array, ct: Uint8Array;
      try {
        nonce = fromBase64(r.nonce);
        ct = fromBase64(r.ciphertext);
      } catch {
        throw new CryptoError('TAMPERED', `record ${i} has undecodable fields`);
      }
      if (nonce.length !== NONCE_BYTES) throw new CryptoError('TAMPERED', `record ${i} has a bad nonce`);
      // AEAD first: a flipped ciphertext byte is TAMPERED; only an intact record with a wrong hash is CHAIN_BROKEN.
      try {
        out.push(s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, recordAd(header.segmentId, i, prev), nonce, key));
      } catch {
        throw new CryptoError('TAMPERED', `record ${i} does not authenticate`);
      }
      const hash = chainHash(prev, i, nonce, ct);
      if (hash !== r.hash) throw new CryptoError('CHAIN_BROKEN', `chain hash of record ${i} does not match`);
      prev = hash;
      if (expectedHead && i === expectedHead.head.count - 1 && hash !== expectedHead.head.head) {
        throw new CryptoError('CHAIN_BROKEN', 'chain does not pass through the signed head');
      }
    }
  } finally {
    s.memzero(key);
  }
  return out;
}
