// @kaowu/crypto — iso (browser + Node) cryptography for Kaowu on libsodium.
// Call `await initCrypto()` once before anything else.
export { initCrypto } from './lib/sodium';
export { CryptoError } from './lib/errors';
export type { CryptoErrorCode } from './lib/errors';
export { toBase64, fromBase64, utf8, fromUtf8, sha256Hex, canonicalJson } from './lib/encoding';
export { generatePartyKeys, publicKeysOf } from './lib/keys';
export type { SigningKeyPair, BoxKeyPair, PartyKeys, PartyPublicKeys } from './lib/keys';
export { protectPartyKeys, unlockPartyKeys } from './lib/keyfile';
export type { ProtectedKeyFile } from './lib/keyfile';
export { signDocument, verifyDocument, signBytes, verifyBytes } from './lib/signing';
export type { Signature, SignedDocument, KeyResolver } from './lib/signing';
export {
  newDataKey,
  sealDataKey,
  openSealedDataKey,
  wrapKey,
  unwrapKey,
  encryptBlob,
  decryptBlob,
  sealBlob,
  openBlob,
} from './lib/envelope';
export { RecordSegmentWriter, signSegmentHead, openRecordSegment } from './lib/records';
export type { RecordSegmentHeader, EncryptedRecord, SignedSegmentHead } from './lib/records';
export { CHAIN_GENESIS, chainNext, chainHead, verifyChain } from './lib/chain';
export { kioskAttestationKey, kioskConfigDigest } from './lib/kiosk-attestation';
export type { KioskConfiguration } from './lib/kiosk-attestation';
export { VENUE_AUTH_SCHEME, signVenueRequest, parseVenueAuthorization, verifyVenueRequest } from './lib/request-signature';
export type { SignedRequestParts, VenueAuthorization } from './lib/request-signature';
export { keyFingerprint } from './lib/fingerprint';
