import { z } from 'zod';

export const IsoDateTime = z.iso.datetime({ offset: true });
export const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

/** 准考证号: digits only, 8–20 long. */
export const TicketNo = z.string().regex(/^\d{8,20}$/, '准考证号应为 8–20 位数字 / ticket no. must be 8–20 digits');
/** 证件号码: 居民身份证 18 characters (checksum checked in exam-domain) or other documents 6–20. */
export const IdNo = z.string().regex(/^[0-9A-Za-z]{6,20}$/, '证件号码格式不正确 / invalid ID number');
export const Code = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1–32 letters, digits, - or _');
export const Gender = z.enum(['M', 'F']);

/** 考生照片 (registration photo): JPEG or PNG, at most 64 KB, shown at login and to the proctor. */
export const CandidatePhoto = z.object({
  mediaType: z.enum(['image/jpeg', 'image/png']),
  data: Base64.max(Math.ceil((64 * 1024) / 3) * 4, '照片不得超过 64 KB / photo over 64 KB'),
});
export type CandidatePhoto = z.infer<typeof CandidatePhoto>;

/** A signed document: the body plus an Ed25519 signature over its canonical JSON. */
export const Signature = z.object({
  alg: z.literal('ed25519'),
  keyId: z.string().min(1),
  value: Base64,
});
export type Signature = z.infer<typeof Signature>;

export const signed = <T extends z.ZodTypeAny>(body: T) => z.object({ body, signature: Signature });
export type Signed<T> = { body: T; signature: Signature };

/** Public keys of a party (province or venue), as registered and shipped. */
export const PartyPublicKeys = z.object({
  keyId: z.string().min(1),
  signingPublicKey: Base64,
  boxPublicKey: Base64,
});
export type PartyPublicKeys = z.infer<typeof PartyPublicKeys>;
